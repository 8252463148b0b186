using System.Text;

namespace Harness.Data.Tokenizers;

/// <summary>
/// The four Unicode normal forms of a tokenizer.json <c>normalizer</c>, through the platform's ICU
/// (<see cref="string.Normalize(NormalizationForm)"/>). The harness therefore runs with globalization on:
/// under InvariantGlobalization, Normalize leaves text unchanged.
/// </summary>
internal sealed class UnicodeNormalization(string name, NormalizationForm form)
{
    public string Name { get; } = name;

    public static UnicodeNormalization? FromHuggingFace(string? type) => type switch
    {
        "NFC" => new("NFC", NormalizationForm.FormC),
        "NFD" => new("NFD", NormalizationForm.FormD),
        "NFKC" => new("NFKC", NormalizationForm.FormKC),
        "NFKD" => new("NFKD", NormalizationForm.FormKD),
        _ => null,
    };

    public string Normalize(string text) => text.Normalize(form);
}
