System.Console.WriteLine(Harness.Model.TorchProbe.Describe());
