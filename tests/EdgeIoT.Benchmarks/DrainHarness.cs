using System.Diagnostics;
using System.Globalization;

namespace EdgeIoT.Benchmarks;

/// <summary>
/// Runs <see cref="QueueDrainBenchmarks"/> by hand with a stopwatch, for machines where
/// BenchmarkDotNet's in-process toolchain rejects iterations of this length. Prints the median
/// of each method per batch size and its ratio to the anchor.
/// </summary>
internal static class DrainHarness
{
    public static async Task RunAsync(int runs, IReadOnlyList<int> batchSizes)
    {
        foreach (int batchSize in batchSizes)
        {
            var bench = new QueueDrainBenchmarks { BatchSize = batchSize };
            bench.Setup();
            double anchor = Median(await MeasureAsync(bench, runs, bench.DirectPostsAnchor));
            double drain = Median(await MeasureAsync(bench, runs, bench.HubQueueDrain));
            bench.Cleanup();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"batch {batchSize}: anchor {anchor:0.00} s, hub queue drain {drain:0.00} s, ratio {drain / anchor:0.00}, "
                + $"{QueueDrainBenchmarks.Events / drain:0} events/s ({runs} runs each, medians)"));
        }
    }

    private static async Task<List<double>> MeasureAsync(QueueDrainBenchmarks bench, int runs, Func<Task> method)
    {
        var seconds = new List<double>();
        for (int run = 0; run < runs; run++)
        {
            bench.StartLedgerAndFillQueue();
            var clock = Stopwatch.StartNew();
            await method();
            seconds.Add(clock.Elapsed.TotalSeconds);
            bench.StopLedger();
        }

        return seconds;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
