namespace Harness.Scenarios;

/// <summary>
/// What a scenario file is loaded for, beyond being well-formed. A scenario logs something exactly when it probes an
/// item (an injection group, control groups included): the plan always evaluates log steps 0 and <c>training.steps</c>,
/// so "nothing to log" means no injection groups. A file with <c>pretrain.save_at</c> and nothing to log is a
/// pretraining recipe, built by <c>harness pretrain recipe.yaml --out DIR</c>.
/// </summary>
public enum ScenarioUse
{
    /// <summary>Well-formed is enough (plan, check, analysis, tests).</summary>
    Any,
    /// <summary><c>harness run</c>: something to log, else the run would train and then have no trajectory to write.</summary>
    Run,
    /// <summary><c>harness pretrain recipe.yaml</c>: pretrains from scratch, injects nothing and saves <c>pretrain.save_at</c> stages.</summary>
    Recipe,
    /// <summary><c>harness validate</c>: a run or a recipe; a file that neither logs nor saves anything would only burn time.</summary>
    RunOrRecipe,
}
