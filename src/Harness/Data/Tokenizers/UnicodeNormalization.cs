using ICU4N.Text;

namespace Harness.Data.Tokenizers;

/// <summary>
/// The four Unicode normal forms of a tokenizer.json <c>normalizer</c>, through ICU4N: the harness runs with
/// InvariantGlobalization, where <see cref="string.Normalize()"/> leaves text unchanged.
/// </summary>
internal sealed class UnicodeNormalization(string name, Normalizer2 normalizer)
{
    public string Name { get; } = name;

    public static UnicodeNormalization? FromHuggingFace(string? type) => type switch
    {
        "NFC" => new("NFC", Normalizer2.GetInstance(null, "nfc", Normalizer2Mode.Compose)),
        "NFD" => new("NFD", Normalizer2.GetInstance(null, "nfc", Normalizer2Mode.Decompose)),
        "NFKC" => new("NFKC", Normalizer2.GetInstance(null, "nfkc", Normalizer2Mode.Compose)),
        "NFKD" => new("NFKD", Normalizer2.GetInstance(null, "nfkc", Normalizer2Mode.Decompose)),
        _ => null,
    };

    public string Normalize(string text) => normalizer.Normalize(text);
}
