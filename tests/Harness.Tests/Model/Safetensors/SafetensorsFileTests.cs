using System.Text;
using System.Text.Json.Nodes;
using Harness.Model;
using Harness.Tests.Support;
using NUnit.Framework;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Harness.Tests.Model.Safetensors;

public class SafetensorsFileTests
{
    private static Dictionary<string, Tensor> MixedTensors()
    {
        manual_seed(3);
        return new()
        {
            ["w.f32"] = randn(3, 5),
            ["w.bf16"] = randn(7).to_type(ScalarType.BFloat16),
            ["w.f16"] = randn(2, 2, 3).to_type(ScalarType.Float16),
            ["step"] = tensor(12345L),
            ["mask"] = tensor(new[] { true, false, true }),
            ["w.f64"] = randn(4, dtype: ScalarType.Float64),
            ["empty"] = zeros(0, 3),
        };
    }

    private static byte[] Bytes(Tensor t) => t.contiguous().bytes.ToArray();

    [Test]
    public void Round_trip_is_bit_exact_for_every_dtype()
    {
        using var dir = new TempFolder();
        var tensors = MixedTensors();
        SafetensorsFile.Write(dir.File("s.safetensors"), tensors);
        var back = SafetensorsFile.Read(dir.File("s.safetensors"));
        Assert.That(back.Keys, Is.EquivalentTo(tensors.Keys));
        foreach (var (name, t) in tensors)
        {
            Assert.That(back[name].dtype, Is.EqualTo(t.dtype), name);
            Assert.That(back[name].shape, Is.EqualTo(t.shape), name);
            Assert.That(Bytes(back[name]), Is.EqualTo(Bytes(t)), name);
        }
    }

    [Test]
    public void Header_is_aligned_carries_pt_metadata_and_aligns_every_tensor()
    {
        using var dir = new TempFolder();
        var path = dir.File("s.safetensors");
        SafetensorsFile.Write(path, MixedTensors());
        var raw = File.ReadAllBytes(path);
        long n = BitConverter.ToInt64(raw, 0);
        Assert.That((8 + n) % 8, Is.Zero);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(raw, 8, (int)n).TrimEnd())!.AsObject();
        Assert.That(header["__metadata__"]!["format"]!.GetValue<string>(), Is.EqualTo("pt"));
        foreach (var e in SafetensorsFile.Entries(path))
        {
            int size = e.DType switch { "F64" or "I64" => 8, "F32" => 4, "BF16" or "F16" => 2, _ => 1 };
            Assert.That(e.Begin % size, Is.Zero, e.Name);
        }
    }

    [Test]
    public void Bytes_match_the_layout_of_the_reference_writer()
    {
        using var dir = new TempFolder();
        var path = dir.File("a.safetensors");
        SafetensorsFile.Write(path, new Dictionary<string, Tensor> { ["a"] = tensor(new[] { 1f, -2f }) });
        // What Python's safetensors.torch.save_file({"a": torch.tensor([1., -2.])}, metadata={"format": "pt"}) writes:
        // compact JSON, metadata first, padded with spaces to a multiple of 8, then little-endian data.
        var json = """{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""";
        json = json.PadRight((json.Length + 7) / 8 * 8);
        byte[] expected = [.. BitConverter.GetBytes((ulong)json.Length), .. Encoding.ASCII.GetBytes(json),
            .. BitConverter.GetBytes(1f), .. BitConverter.GetBytes(-2f)];
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(expected));
    }

    [Test]
    public void Files_interoperate_with_TorchSharp_PyBridge_in_both_directions()
    {
        using var dir = new TempFolder();
        var cfg = new DecoderConfig("llama", 31, 16, 32, 1, 4, 2, 16, TieWordEmbeddings: false);
        manual_seed(5);
        using var a = new CausalLM(cfg);
        a.InitializeWeights();
        using var b = new CausalLM(cfg);
        SafetensorsFile.Write(dir.File("ours.safetensors"), a.state_dict());
        b.load_safetensors(dir.File("ours.safetensors"));
        using var ids = tensor(new long[] { 1, 4, 9, 16 }).view(1, -1);
        using (no_grad()) Assert.That(Bytes(b.forward(ids)), Is.EqualTo(Bytes(a.forward(ids))), "PyBridge reading our file");

        a.save_safetensors(dir.File("theirs.safetensors"));
        var theirs = SafetensorsFile.Read(dir.File("theirs.safetensors"));
        foreach (var (name, t) in a.state_dict())
            Assert.That(Bytes(theirs[name]), Is.EqualTo(Bytes(t)), $"our reader on PyBridge's {name}");
    }

    // ---- corrupt files: each names the file and says what is wrong ----

    private static string Valid(TempFolder dir)
    {
        var path = dir.File("ok.safetensors");
        SafetensorsFile.Write(path, new Dictionary<string, Tensor> { ["a"] = ones(4), ["b"] = zeros(2, 2) });
        return path;
    }

    /// <summary>A file with a hand-written header and <paramref name="dataBytes"/> zero bytes of data.</summary>
    private static string Crafted(TempFolder dir, string header, int dataBytes)
    {
        var path = dir.File("crafted.safetensors");
        var json = Encoding.UTF8.GetBytes(header);
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)json.Length), .. json, .. new byte[dataBytes]]);
        return path;
    }

    private static void ExpectCorrupt(string path, string fragment)
    {
        var e = Assert.Throws<InputException>(() => SafetensorsFile.Read(path))!;
        Assert.That(e.Message, Does.Contain(path));
        Assert.That(e.Message, Does.Contain(fragment));
    }

    [Test]
    public void Truncated_data_is_reported()
    {
        using var dir = new TempFolder();
        var path = Valid(dir);
        var raw = File.ReadAllBytes(path);
        File.WriteAllBytes(path, raw[..^5]);
        ExpectCorrupt(path, "truncated");
    }

    [Test]
    public void Header_length_past_the_end_is_reported()
    {
        using var dir = new TempFolder();
        var path = Valid(dir);
        var raw = File.ReadAllBytes(path);
        BitConverter.GetBytes((ulong)raw.Length).CopyTo(raw, 0);
        File.WriteAllBytes(path, raw);
        ExpectCorrupt(path, "header claims");
    }

    [Test]
    public void A_file_shorter_than_the_length_prefix_is_reported()
    {
        using var dir = new TempFolder();
        var path = dir.File("tiny.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        ExpectCorrupt(path, "too short");
    }

    [Test]
    public void Invalid_json_header_is_reported()
    {
        using var dir = new TempFolder();
        ExpectCorrupt(Crafted(dir, "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]", 4), "invalid");
    }

    [Test]
    public void Unknown_dtype_is_reported()
    {
        using var dir = new TempFolder();
        ExpectCorrupt(Crafted(dir, """{"a": {"dtype": "F8_E4M3", "shape": [4], "data_offsets": [0, 4]}}""", 4), "unknown or unsupported dtype 'F8_E4M3'");
    }

    [Test]
    public void Offsets_past_the_data_are_reported()
    {
        using var dir = new TempFolder();
        ExpectCorrupt(Crafted(dir, """{"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}""", 8), "truncated");
    }

    [Test]
    public void Overlapping_tensors_are_reported()
    {
        using var dir = new TempFolder();
        ExpectCorrupt(Crafted(dir, """{"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}, "b": {"dtype": "F32", "shape": [4], "data_offsets": [8, 24]}}""", 24),
            "overlap");
    }

    [Test]
    public void Offsets_that_disagree_with_the_shape_are_reported()
    {
        using var dir = new TempFolder();
        ExpectCorrupt(Crafted(dir, """{"a": {"dtype": "F32", "shape": [3], "data_offsets": [0, 16]}}""", 16), "needs 12 bytes");
    }

    [Test]
    public void A_missing_file_is_reported()
    {
        using var dir = new TempFolder();
        ExpectCorrupt(dir.File("nope.safetensors"), "does not exist");
    }
}
