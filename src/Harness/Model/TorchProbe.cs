namespace Harness.Model;
public static class TorchProbe { public static string Describe() { using var t = TorchSharp.torch.ones(2, 2); return $"{t.sum().item<float>()} {TorchSharp.torch.__version__}"; } }
