namespace Harness.Data.Corpora;

/// <summary>The unsigned integer type of a token array's elements (OLMo writes uint16 for vocabularies under 65,536, else uint32).</summary>
public enum TokenElement
{
    UInt16 = 2,
    UInt32 = 4,
}

internal static class TokenElementNames
{
    public static TokenElement? Parse(string name) => name switch
    {
        "uint16" or "u2" or "<u2" => TokenElement.UInt16,
        "uint32" or "u4" or "<u4" => TokenElement.UInt32,
        _ => null,
    };

    public static string Name(this TokenElement e) => e == TokenElement.UInt16 ? "uint16" : "uint32";
}
