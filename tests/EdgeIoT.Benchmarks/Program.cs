using System.Globalization;
using BenchmarkDotNet.Running;
using EdgeIoT.Benchmarks;

// `callgrind <path> <count>` runs the instruction-count harness, `sizes` prints credential and
// QR sizes, `drain [runs] [batch sizes...]` times emptying 100k queued events,
// `scan-to-gate [rounds] [scans] [outbox parent folder]` times scans to the relay command;
// anything else goes to BenchmarkDotNet.
if (args is ["sizes"])
{
    return TokenSizes.Print();
}

if (args.Length == 3 && args[0] == "callgrind")
{
    if (!int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out int count))
    {
        Console.Error.WriteLine($"Count '{args[2]}' is invalid: use a whole number of verifies, such as 1000.");
        return 2;
    }

    return CallgrindHarness.Run(args[1], count);
}

if (args.Length > 0 && args[0] == "drain")
{
    int runs = args.Length > 1 && int.TryParse(args[1], out int parsed) && parsed > 0 ? parsed : 3;
    var batchSizes = new List<int>();
    foreach (string value in args.Skip(2))
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int size) || size is < 1 or > 5000)
        {
            Console.Error.WriteLine($"Batch size '{value}' is invalid: use a whole number from 1 to 5000 (the ledger's maximum).");
            return 2;
        }

        batchSizes.Add(size);
    }

    await DrainHarness.RunAsync(runs, batchSizes.Count > 0 ? batchSizes : [500, 5000]);
    return 0;
}

if (args.Length > 0 && args[0] == "scan-to-gate")
{
    int[] counts = [5, 2_000];
    for (int i = 1; i < Math.Min(args.Length, 3); i++)
    {
        if (!int.TryParse(args[i], NumberStyles.None, CultureInfo.InvariantCulture, out counts[i - 1]) || counts[i - 1] < 1)
        {
            Console.Error.WriteLine($"Count '{args[i]}' is invalid: use a whole number of rounds or scans, such as 5 or 2000.");
            return 2;
        }
    }

    string parent = args.Length > 3 ? args[3] : Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
    return await ScanToGateHarness.RunAsync(counts[0], counts[1], parent);
}

BenchmarkSwitcher.FromAssembly(typeof(QueueEnqueueBenchmarks).Assembly).Run(args);
return 0;
