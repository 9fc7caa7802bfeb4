using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(EdgeIoT.Benchmarks.QueueEnqueueBenchmarks).Assembly).Run(args);
