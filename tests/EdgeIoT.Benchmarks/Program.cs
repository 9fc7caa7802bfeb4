using BenchmarkDotNet.Running;
using EdgeIoT.Benchmarks;

if (args.Length > 0 && args[0] == "drain")
{
    int runs = args.Length > 1 && int.TryParse(args[1], out int parsed) && parsed > 0 ? parsed : 3;
    await DrainHarness.RunAsync(runs);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(QueueEnqueueBenchmarks).Assembly).Run(args);
