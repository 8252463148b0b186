using System.Buffers;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Harness.Scenarios.Yaml;

/// <summary>
/// Reads one YAML file into a <see cref="YNode"/> tree from YamlDotNet's parser events, so every node keeps its position
/// and the checks YAML libraries skip or word vaguely (encoding, tabs, duplicated keys) name the exact spot.
/// </summary>
public static class YamlTreeReader
{
    public static YNode Read(string path, string displayName)
    {
        var text = Decode(File.ReadAllBytes(path), displayName);
        RejectTabIndentation(text, displayName);
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
                throw new ScenarioException(new(displayName, 1, 1), "the scenario is empty", "write at least `name:` and `training: { steps: N }`");
            parser.Consume<DocumentStart>();
            var root = new TreeBuilder(parser, displayName).Node();
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var second))
                throw new ScenarioException(MarkOf(displayName, second.Start), "a second YAML document (`---`) in one scenario file",
                    "keep one scenario per file; use `matrix` or `extends` for variants");
            if (root is YScalar { IsNull: true })
                throw new ScenarioException(new(displayName, 1, 1), "the scenario is empty", "write at least `name:` and `training: { steps: N }`");
            return root;
        }
        catch (YamlException e)
        {
            throw new ScenarioException(MarkOf(displayName, e.Start), $"invalid YAML: {e.Message.TrimEnd('.')}",
                "check indentation, colons and brackets at this position");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this (without a position) on some malformed flow collections.
            var at = parser.Current is { } current ? MarkOf(displayName, current.End) : new SourceMark(displayName, 1, 1);
            throw new ScenarioException(at, "invalid YAML after this position (an unclosed { or [ ?)", "check brackets, colons and indentation from here on");
        }
    }

    internal static SourceMark MarkOf(string file, Mark m) => new(file, (int)m.Line, (int)m.Column);

    static string Decode(byte[] bytes, string file)
    {
        var span = bytes.AsSpan();
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) span = span[3..];
        int line = 1, column = 1;
        for (var rest = span; !rest.IsEmpty;)
        {
            if (Rune.DecodeFromUtf8(rest, out var rune, out var used) != OperationStatus.Done)
                throw new ScenarioException(new(file, line, column), $"byte 0x{rest[0]:X2} is not valid UTF-8",
                    "save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)");
            if (rune.Value == '\n') { line++; column = 1; } else column++;
            rest = rest[used..];
        }
        return Encoding.UTF8.GetString(span);
    }

    /// <summary>YAML forbids tabs in indentation and parsers word it vaguely; a scenario has no use for tabs outside comments.</summary>
    static void RejectTabIndentation(string text, string file)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var l = lines[i];
            var comment = l.IndexOf('#');
            var tab = l.IndexOf('\t');
            if (tab < 0 || (comment >= 0 && comment < tab)) continue;
            var indentation = l[..tab].All(c => c is ' ' or '-');
            throw new ScenarioException(new(file, i + 1, tab + 1),
                indentation ? "a tab in the indentation (YAML indents with spaces only)" : "a tab character (scenarios use spaces only)",
                "replace the tab with spaces");
        }
    }

    /// <summary>
    /// Deepest nesting of lists and mappings a scenario may have. Real scenarios nest 5 deep; the bound keeps a file of
    /// thousands of <c>[</c> from overflowing the stack of the recursive tree builder (and of merges after it).
    /// </summary>
    public const int MaxDepth = 64;

    sealed class TreeBuilder(IParser parser, string file)
    {
        readonly Dictionary<string, YNode> anchors = [];
        int depth;

        public YNode Node()
        {
            var nested = parser.Current is SequenceStart or MappingStart;
            if (nested && ++depth > MaxDepth)
                throw new ScenarioException(MarkOf(file, parser.Current!.Start), $"lists and mappings nest deeper than {MaxDepth} levels",
                    "flatten the value; no scenario key nests that deep");
            try { return Read(); }
            finally { if (nested) depth--; }
        }

        YNode Read()
        {
            if (parser.TryConsume<AnchorAlias>(out var alias))
                return anchors.TryGetValue(alias.Value.Value, out var target) ? target
                    : throw new ScenarioException(MarkOf(file, alias.Start), $"unknown alias *{alias.Value}", $"define &{alias.Value} before using it");
            YNode node;
            AnchorName anchor;
            if (parser.TryConsume<Scalar>(out var scalar))
            {
                node = new YScalar(MarkOf(file, scalar.Start), scalar.Value, scalar.Style == ScalarStyle.Plain);
                anchor = scalar.Anchor;
            }
            else if (parser.TryConsume<SequenceStart>(out var seq))
            {
                var items = new List<YNode>();
                while (!parser.TryConsume<SequenceEnd>(out _)) items.Add(Node());
                node = new YSequence(MarkOf(file, seq.Start), items);
                anchor = seq.Anchor;
            }
            else
            {
                var map = parser.Consume<MappingStart>();
                var entries = new List<YEntry>();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    if (Node() is not YScalar key)
                        throw new ScenarioException(MarkOf(file, map.Start), "a mapping key that is not a plain name", "use plain names as keys");
                    var first = entries.FirstOrDefault(e => e.Key.Value == key.Value);
                    if (first is not null)
                        throw new ScenarioException(key.Mark, $"duplicated key '{ScenarioException.Echo(key.Value)}' (first at line {first.Key.Mark.Line})",
                            "keep one of the two entries");
                    entries.Add(new YEntry(key, Node()));
                }
                node = new YMapping(MarkOf(file, map.Start), entries);
                anchor = map.Anchor;
            }
            if (!anchor.IsEmpty) anchors[anchor.Value] = node;
            return node;
        }
    }
}
