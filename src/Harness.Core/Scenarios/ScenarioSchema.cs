using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harness.Scenarios;

/// <summary>
/// JSON Schema (draft-07) of the scenario language, generated from <see cref="ScenarioSyntax"/> so that editors with
/// yaml-language-server complete and check exactly what the parser accepts. <c>schemas/scenario.schema.json</c> is its
/// output; a test keeps the two equal.
/// </summary>
public static class ScenarioSchema
{
    public static string Generate()
    {
        var root = Node(ScenarioSyntax.Root);
        root.Insert(0, "$schema", "http://json-schema.org/draft-07/schema#");
        root.Insert(1, "$id", "https://github.com/harness/scenario.schema.json");
        root.Insert(2, "title", "Harness scenario (DSL v1)");
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    static JsonObject Node(SyntaxKey k, bool nullable = false)
    {
        var o = Type(k);
        if (nullable) Nullable(o);
        o["description"] = k.Doc;
        return o;
    }

    /// <summary>Every key but a required one may be written as <c>~</c>, <c>null</c> or nothing: it then takes its default.</summary>
    static JsonObject Object(IReadOnlyList<SyntaxKey> children)
    {
        var o = new JsonObject
        {
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["properties"] = new JsonObject(children.Select(c => KeyValuePair.Create(c.Name, (JsonNode?)Node(c, nullable: !c.Required)))),
        };
        if (children.Any(c => c.Required)) o["required"] = Strings(children.Where(c => c.Required).Select(c => c.Name));
        return o;
    }

    /// <summary>Lets a value also be null, keeping the shape (a type list, an enum entry or a oneOf branch).</summary>
    static void Nullable(JsonObject o)
    {
        if (o["type"] is JsonValue type) o["type"] = new JsonArray(type.GetValue<string>(), "null");
        else if (o["enum"] is JsonArray values) values.Add(null);
        else if (o["oneOf"] is JsonArray branches && !branches.Any(b => b?["type"]?.GetValue<string>() == "null")) branches.Add(new JsonObject { ["type"] = "null" });
    }

    static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    static JsonObject Bounded(string type, SyntaxKey k)
    {
        var o = new JsonObject { ["type"] = type };
        if (k.Minimum is { } min) o[k.ExclusiveMinimum ? "exclusiveMinimum" : "minimum"] = min;
        return o;
    }

    static JsonObject Null(JsonObject o) => new() { ["oneOf"] = new JsonArray(o, new JsonObject { ["type"] = "null" }) };

    static JsonObject Type(SyntaxKey k) => k.Type switch
    {
        SyntaxType.Mapping => k.Name.Length == 0 ? Object(k.Children) : Null(Object(k.Children)),
        SyntaxType.String => new() { ["type"] = "string" },
        SyntaxType.Path => new() { ["type"] = "string", ["examples"] = Strings(k.Values) },
        SyntaxType.Int => Bounded("integer", k),
        SyntaxType.Number => Bounded("number", k),
        SyntaxType.Bool => new() { ["type"] = "boolean" },
        SyntaxType.Enum => new() { ["enum"] = Strings(k.Values) },
        SyntaxType.EnumList => new() { ["type"] = "array", ["uniqueItems"] = true, ["items"] = new JsonObject { ["enum"] = Strings(k.Values) } },
        SyntaxType.StringList => new() { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
        SyntaxType.PathList => new() { ["oneOf"] = new JsonArray(new JsonObject { ["type"] = "string" }, new JsonObject { ["type"] = "array", ["minItems"] = 1, ["items"] = new JsonObject { ["type"] = "string" } }) },
        SyntaxType.IntList => new() { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "integer", ["minimum"] = 0 } },
        SyntaxType.StepMap => new() { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1 } },
        SyntaxType.Pair => new() { ["type"] = "array", ["minItems"] = 2, ["maxItems"] = 2, ["items"] = new JsonObject { ["type"] = "number", ["minimum"] = 0, ["exclusiveMaximum"] = 1 } },
        SyntaxType.Items => new()
        {
            ["oneOf"] = new JsonArray(ItemEntry(), new JsonObject { ["type"] = "array", ["minItems"] = 1, ["items"] = ItemEntry() }),
        },
        SyntaxType.At => new()
        {
            ["oneOf"] = new JsonArray(
                new JsonObject { ["type"] = "integer", ["minimum"] = 0 },
                new JsonObject { ["type"] = "array", ["minItems"] = 1, ["items"] = new JsonObject { ["type"] = "integer", ["minimum"] = 0 } },
                Object(k.Children)),
        },
        SyntaxType.GroupList => new() { ["type"] = "array", ["items"] = Object(k.Children) },
        SyntaxType.Matrix => new()
        {
            ["type"] = "object",
            ["additionalProperties"] = new JsonObject
            {
                ["oneOf"] = new JsonArray(
                    new JsonObject { ["type"] = "array", ["minItems"] = 1 },
                    new JsonObject
                    {
                        ["type"] = "object",
                        ["additionalProperties"] = new JsonObject { ["type"] = "object", ["propertyNames"] = new JsonObject { ["enum"] = Strings(ScenarioSyntax.OverridablePaths()) } },
                    }),
            },
        },
        SyntaxType.Expect => new()
        {
            ["type"] = "array",
            ["items"] = new JsonObject
            {
                ["oneOf"] = new JsonArray(
                    new JsonObject { ["enum"] = Strings(k.Values) },
                    new JsonObject { ["type"] = "object", ["minProperties"] = 1, ["maxProperties"] = 1, ["propertyNames"] = new JsonObject { ["enum"] = Strings(k.Values) } }),
            },
        },
        _ => throw new InvalidOperationException(k.Type.ToString()),
    };

    static JsonObject ItemEntry() => new()
    {
        ["oneOf"] = new JsonArray(new JsonObject { ["type"] = "integer", ["minimum"] = 0 }, new JsonObject { ["type"] = "string", ["pattern"] = @"^[0-9]+\.\.[0-9]+$" }),
    };
}
