namespace Harness.Data.Knowledge;

/// <summary>A knowledge file that is not the paper's JSON array of items; <see cref="Problem"/> says where and what.</summary>
public sealed class KnowledgeFileException(string where, string problem)
    : InputException($"{where}: {problem}. fix: use the paper's fictional_knowledge*.json format")
{
    public string Problem { get; } = $"{where}: {problem}";
}
