using System.Diagnostics;
using System.Globalization;

namespace EdgeIoT.Benchmarks;

/// <summary>
/// Runs <see cref="QueueDrainBenchmarks"/> by hand with a stopwatch, for machines where
/// BenchmarkDotNet's in-process toolchain rejects iterations of this length. Prints the median
/// wall time of each method per batch size, its ratio to the anchor, and the median CPU time
/// the process used meanwhile. Hub and ledger share the process, so on a shared machine the
/// CPU time shows the work done when the wall time mostly shows the wait for a core.
/// </summary>
internal static class DrainHarness
{
    public static async Task RunAsync(int runs, IReadOnlyList<int> batchSizes)
    {
        foreach (int batchSize in batchSizes)
        {
            var bench = new QueueDrainBenchmarks { BatchSize = batchSize };
            bench.Setup();
            var (anchor, anchorCpu) = await MeasureAsync(bench, runs, bench.DirectPostsAnchor);
            var (drain, drainCpu) = await MeasureAsync(bench, runs, bench.HubQueueDrain);
            bench.Cleanup();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"batch {batchSize}: anchor {anchor:0.00} s (cpu {anchorCpu:0.00} s), "
                + $"hub queue drain {drain:0.00} s (cpu {drainCpu:0.00} s), ratio {drain / anchor:0.00}, "
                + $"cpu ratio {drainCpu / anchorCpu:0.00}, {QueueDrainBenchmarks.Events / drain:0} events/s "
                + $"({runs} runs each, medians)"));
        }
    }

    /// <summary>Returns the median wall time and the median process CPU time of the method, in seconds.</summary>
    private static async Task<(double Wall, double Cpu)> MeasureAsync(QueueDrainBenchmarks bench, int runs, Func<Task> method)
    {
        var wall = new List<double>();
        var cpu = new List<double>();
        using var process = Process.GetCurrentProcess();
        for (int run = 0; run < runs; run++)
        {
            bench.StartLedgerAndFillQueue();
            process.Refresh();
            TimeSpan cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            await method();
            wall.Add(clock.Elapsed.TotalSeconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuBefore).TotalSeconds);
            bench.StopLedger();
        }

        return (Median(wall), Median(cpu));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
