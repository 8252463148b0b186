using Harness.Data.PyTorch;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Data.PyTorch;

public class RestrictedUnpicklerTests
{
    [Test]
    public void A_state_dict_of_tensors_numbers_and_strings_reads_as_data()
    {
        var pickle = new PickleBytes().Op('}').Op('(')
            .Str("w").FloatTensor("0", 2, 3)
            .Str("step").Int(7)
            .Str("lr").Float(2.5e-4)
            .Str("names").Op(']').Op('(').Str("a").Str("b").Op('e')
            .Op('u').Stop();
        var root = (PickleDict)RestrictedUnpickler.Load(pickle, "test")!;
        var w = (TorchTensorRef)root["w"]!;
        Assert.Multiple(() =>
        {
            Assert.That(w.Shape, Is.EqualTo(new long[] { 2, 3 }));
            Assert.That(w.Stride, Is.EqualTo(new long[] { 3, 1 }));
            Assert.That(w.DType, Is.EqualTo(TorchDType.Float32));
            Assert.That(w.StorageKey, Is.EqualTo("0"));
            Assert.That(root["step"], Is.EqualTo(7L));
            Assert.That(root["lr"], Is.EqualTo(2.5e-4));
            Assert.That(root["names"], Is.EqualTo(new List<object?> { "a", "b" }));
        });
    }

    [Test]
    public void A_torch_save_archive_reads_its_tensors_from_the_storage_records()
    {
        using var dir = new TempFolder();
        var path = dir.File("model.pt");
        PickleBytes.WriteArchive(path, new PickleBytes().Op('}').Str("w").FloatTensor("0", 2, 2).Op('s').Stop(),
            new() { ["0"] = [1f, 2f, 3f, 4f] });
        using var archive = TorchArchive.Open(path);
        var w = (TorchTensorRef)((PickleDict)archive.Root!)["w"]!;
        Assert.That(archive.ReadFloats(w), Is.EqualTo(new[] { 1f, 2f, 3f, 4f }));
    }

    [TestCase("posix", "system")]
    [TestCase("os", "system")]
    [TestCase("builtins", "eval")]
    [TestCase("subprocess", "Popen")]
    [TestCase("torch", "load")]
    public void A_global_outside_the_allowed_list_is_refused_before_anything_runs(string module, string name)
    {
        using var dir = new TempFolder();
        var marker = dir.File("pwned");
        // What `pickle.dumps` writes for a class whose __reduce__ returns (os.system, ("touch <marker>",)).
        var pickle = new PickleBytes().Global(module, name).Str($"touch {marker}").Op(0x85).Op('R').Stop();
        var e = Assert.Throws<UnsafePickleException>(() => RestrictedUnpickler.Load(pickle, "evil.pt"))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Message, Does.Contain($"'{module}.{name}'"));
            Assert.That(e.Message, Does.Contain("evil.pt"));
            Assert.That(e.Message, Does.Contain("nothing in the file was executed"));
            Assert.That(File.Exists(marker), Is.False);
        });
    }

    [Test]
    public void A_stack_global_of_an_arbitrary_callable_is_refused()
    {
        var pickle = new PickleBytes().Str("builtins").Str("exec").Op(0x93).Str("print(1)").Op(0x85).Op('R').Stop();
        var e = Assert.Throws<UnsafePickleException>(() => RestrictedUnpickler.Load(pickle, "evil.pt"))!;
        Assert.That(e.Message, Does.Contain("'builtins.exec'"));
    }

    [Test]
    public void Calling_an_allowed_name_that_is_not_a_rebuild_or_setting_an_objects_state_is_refused()
    {
        var call = new PickleBytes().Global("torch", "FloatStorage").Op(')').Op('R').Stop();
        Assert.That(() => RestrictedUnpickler.Load(call, "x"), Throws.TypeOf<UnsafePickleException>().With.Message.Contains("a call of torch.FloatStorage"));
        var build = new PickleBytes().Op(']').Op('}').Str("k").Int(1).Op('s').Op('b').Stop();
        Assert.That(() => RestrictedUnpickler.Load(build, "x"), Throws.TypeOf<UnsafePickleException>().With.Message.Contains("setting the state"));
        var inst = new PickleBytes().Op('(').Op((byte)'i').Stop(); // INST: builds an instance of a named class
        Assert.That(() => RestrictedUnpickler.Load(inst, "x"), Throws.TypeOf<UnsafePickleException>().With.Message.Contains("opcode 0x69"));
    }

    [Test]
    public void A_torch_save_archive_holding_a_malicious_pickle_is_refused_on_open()
    {
        using var dir = new TempFolder();
        var path = dir.File("optim.pt");
        PickleBytes.WriteArchive(path, new PickleBytes().Global("os", "system").Str("true").Op(0x85).Op('R').Stop(), []);
        var e = Assert.Throws<UnsafePickleException>(() => TorchArchive.Open(path))!;
        Assert.That(e.Message, Does.Contain("optim.pt").And.Contain("'os.system'"));
    }

    [Test]
    public void A_file_that_is_not_a_zip_archive_is_refused_with_what_to_do()
    {
        using var dir = new TempFolder();
        var path = dir.Write("legacy.pt", [0x80, 0x02, (byte)'.']);
        Assert.That(() => TorchArchive.Open(path), Throws.InstanceOf<Harness.InputException>().With.Message.Contains("legacy"));
    }
}
