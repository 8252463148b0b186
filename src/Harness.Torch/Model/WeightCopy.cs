using static TorchSharp.torch;

namespace Harness.Model;

/// <summary>Copies checkpoint tensors into a model after checking names, shapes and dtypes against it.</summary>
internal static class WeightCopy
{
    /// <summary>Names transformers drops on load: old Llama checkpoints stored RoPE frequencies; tied models may store lm_head.</summary>
    private static bool Ignorable(string name, DecoderConfig c) =>
        name.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal) || (c.TieWordEmbeddings && name == "lm_head.weight");

    public static void Into(CausalLM model, IReadOnlyList<string> files, string folder)
    {
        var expected = model.state_dict();
        var headers = files.Select(SafetensorsHeader.Read).ToList();
        var found = new Dictionary<string, (SafetensorsHeader File, SafetensorsEntry Entry)>();
        foreach (var h in headers)
            foreach (var e in h.Entries)
            {
                if (Ignorable(e.Name, model.Config)) continue;
                if (found.TryGetValue(e.Name, out var other))
                    throw new InputException($"Tensor '{e.Name}' is stored twice, in '{other.File.Path}' and '{h.Path}'.");
                found[e.Name] = (h, e);
            }
        CheckNames(model.Config, folder, expected.Keys, found.Keys);
        foreach (var (name, (h, e)) in found) CheckEntry(h.Path, e, expected[name]);

        using var _ = no_grad();
        foreach (var (name, (h, e)) in found)
        {
            using var loaded = h.ReadTensor(e);
            expected[name].copy_(loaded);   // converts dtype (BF16/F16 → F32 exactly) and device
        }
    }

    private static void CheckNames(DecoderConfig c, string folder, IEnumerable<string> expected, IEnumerable<string> found)
    {
        var missing = expected.Except(found).ToList();
        var unexpected = found.Except(expected).ToList();
        if (missing.Count == 0 && unexpected.Count == 0) return;
        var parts = new List<string>();
        if (missing.Count > 0) parts.Add($"missing {missing.Count} tensor(s): {SafetensorsHeader.Describe(missing)}");
        if (unexpected.Count > 0) parts.Add($"unexpected {unexpected.Count} tensor(s): {SafetensorsHeader.Describe(unexpected)}");
        throw new InputException(
            $"Checkpoint '{folder}' does not match its config.json ({c.ModelType}, {c.NumLayers} layers, " +
            $"tie_word_embeddings {c.TieWordEmbeddings.ToString().ToLowerInvariant()}): {string.Join("; ", parts)}.");
    }

    private static void CheckEntry(string file, SafetensorsEntry e, Tensor target)
    {
        if (!e.Shape.SequenceEqual(target.shape))
            throw new InputException(
                $"'{file}': tensor '{e.Name}' has shape {e.ShapeText} but the model built from config.json expects [{string.Join(", ", target.shape)}].");
        SafetensorsDType.TryParse(e.DType, out var type, out _);
        if (!SafetensorsDType.IsFloatingPoint(type))
            throw new InputException($"'{file}': tensor '{e.Name}' has dtype {e.DType}; model weights must be F32, BF16, F16 or F64.");
    }
}
