namespace Harness.Training;

public sealed class NonFiniteLossException(int update, double loss, double lr)
    : Exception($"loss became {loss} at update {update} (learning rate {lr:G3})")
{
    public int Update { get; } = update;
}
