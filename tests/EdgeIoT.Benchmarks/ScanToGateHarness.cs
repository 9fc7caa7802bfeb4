using System.Device.Gpio;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeIoT.EdgeAgent.Decisions;
using EdgeIoT.EdgeAgent.HubLink;
using EdgeIoT.EdgeAgent.Storage;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hardware;
using EdgeIoT.Hardware.Simulated;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Tokens;
using Microsoft.Extensions.Time.Testing;

namespace EdgeIoT.Benchmarks;

/// <summary>
/// Times one scan on an offline edge agent lane, from the serial scanner's bytes to the relay
/// pin going high on the simulated GPIO driver (the gate command), and on to the return of
/// <see cref="DecisionPipeline.DecideAsync"/> (the full call, which includes the outbox commit).
/// Each scan is paired with a bare NSec verify of the same token, in alternating order, so
/// both figures share the machine's load. BenchmarkDotNet times only whole calls, and the gate
/// command falls inside the call, hence this harness.
/// </summary>
internal static class ScanToGateHarness
{
    private const int WarmupScans = 3_000;

    public static async Task<int> RunAsync(int rounds, int scans, string outboxParent)
    {
        Console.WriteLine(
            $"Scan to gate: {rounds} rounds of {scans} scans after {WarmupScans} warm-up scans, outbox under {outboxParent}");
        using var lane = new ScanToGateLane(outboxParent);
        await lane.RunAsync(WarmupScans);

        // Lets tiered compilation finish its background re-jit of the warm-up's hot methods.
        await Task.Delay(TimeSpan.FromSeconds(1));

        var results = new List<RoundResult>();
        for (int round = 1; round <= rounds; round++)
        {
            RoundResult result = await lane.RunAsync(scans);
            results.Add(result);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: gate p50 {result.Gate.P50:F1} p99 {result.Gate.P99:F1}"
                + $" | full p50 {result.Full.P50:F1} p99 {result.Full.P99:F1}"
                + $" | verify p50 {result.Verify.P50:F1} p99 {result.Verify.P99:F1} µs | ratio {result.Ratio:F2}"
                + $" | allocated {result.GateBytes} B to the gate, {result.FullBytes} B in the call"));
        }

        PrintMedians(results);
        return 0;
    }

    private static void PrintMedians(List<RoundResult> results)
    {
        Console.WriteLine();
        Console.WriteLine("Medians over rounds (µs):");
        Console.WriteLine("| measure | p50 | p99 | p50 ratio to bare verify |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        PrintRow("scan bytes to gate command", results, r => r.Gate);
        PrintRow("full DecideAsync call", results, r => r.Full);
        PrintRow("bare NSec verify", results, r => r.Verify);
        double gateBytes = Median(results.Select(r => (double)r.GateBytes));
        double fullBytes = Median(results.Select(r => (double)r.FullBytes));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Allocated per scan: {gateBytes:F0} B to the gate command, {fullBytes:F0} B in the whole call"));
    }

    private static void PrintRow(string name, List<RoundResult> results, Func<RoundResult, Percentiles> select)
    {
        double p50 = Median(results.Select(r => select(r).P50));
        double p99 = Median(results.Select(r => select(r).P99));
        double ratio = Median(results.Select(r => select(r).P50 / r.Verify.P50));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {p50:F1} | {p99:F1} | {ratio:F2} |"));
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1
            ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>p50 and p99 in microseconds, nearest rank.</summary>
    internal readonly record struct Percentiles(double P50, double P99)
    {
        public static Percentiles Of(long[] ticks)
        {
            long[] sorted = [.. ticks.Order()];
            return new Percentiles(Rank(sorted, 50), Rank(sorted, 99));
        }

        private static double Rank(long[] sorted, int percentile)
        {
            int index = Math.Max(0, (int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1);
            return sorted[index] * 1_000_000.0 / Stopwatch.Frequency;
        }
    }

    /// <summary>One round's percentiles, and the median bytes allocated per scan on the scanning thread.</summary>
    internal readonly record struct RoundResult(
        Percentiles Gate, Percentiles Full, Percentiles Verify, long GateBytes, long FullBytes)
    {
        public double Ratio => Gate.P50 / Verify.P50;
    }

    /// <summary>
    /// One offline lane wired as the agent wires it, with a GPIO gate on the simulated driver.
    /// The gate runs on a fake clock, so between scans the harness ends the relay pulse and
    /// reports the guest's passage at once instead of waiting the real 200 ms.
    /// </summary>
    private sealed class ScanToGateLane : IDisposable
    {
        private const uint EventId = 7;
        private const uint EntitlementId = 1234;

        private const string PolicyText = """
            {
              "policyId": "bench-policy",
              "version": 1,
              "guardrails": {
                "maxOfflineAdmitsPerDevice": 1000000,
                "maxOfflineSpendPerTokenMinor": 0,
                "maxOfflineSpendPerDeviceMinor": 0,
                "forwardPaymentsWithinSeconds": 3600
              },
              "rules": [
                { "name": "paid-guests", "when": { "role": ["guest"], "payment": ["paid"] }, "outcome": "grant" },
                { "name": "default-deny", "when": {}, "outcome": "deny", "reason": "policy_denied" }
              ]
            }
            """;

        private readonly GpioGateOptions _gateOptions = new();
        private readonly LineFramer _framer = new();
        private readonly FakeTimeProvider _gateClock = new();
        private readonly string _folder;
        private readonly SigningKey _root;
        private readonly SigningKey _edge;
        private readonly EventOutbox _outbox;
        private readonly SimulatedGpioDriver _driver;
        private readonly GpioGate _gate;
        private readonly DecisionPipeline _pipeline;
        private long _relayHighTicks;
        private long _relayHighAllocated;

        public ScanToGateLane(string outboxParent)
        {
            DateTimeOffset now = DateTimeOffset.UtcNow;
            _root = SigningKey.Generate(now.AddDays(-1), now.AddDays(1));
            _edge = SigningKey.Generate(now.AddHours(-1), now.AddHours(2));
            _folder = Path.Combine(outboxParent, "edgeiot-bench-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(_folder);

            var state = new HubState(
                new TokenVerifier(NSecSignatureVerifier.Instance, EventId, skewSeconds: 20),
                _root.PublicKey,
                NSecSignatureVerifier.Instance,
                folder: null);
            Require(state.TryApplyKeys(
                TokenIssuer.SignKeyList(new KeyList(1, EventId, [TokenIssuer.ToKeyEntry(_edge)]), _root), persist: false), "key list");
            Require(state.TryApplySnapshot(EntitlementSnapshot.Encode(1, EventId,
            [
                new EntitlementRecord { EntitlementId = EntitlementId, Tier = MembershipTier.Standard, Payment = PaymentStatus.Paid },
            ]), persist: false), "snapshot");
            Require(state.TryApplyPolicy(Encoding.UTF8.GetBytes(PolicyText), persist: false), "policy");

            _outbox = new EventOutbox(Path.Combine(_folder, EventOutbox.FileName), "bench-lane", capacity: 10_000_000);
            _driver = new SimulatedGpioDriver();
            _driver.EdgeRecorded += OnEdgeRecorded;
            _gate = new GpioGate(new GpioController(_driver), _gateOptions, _gateClock);
            _pipeline = new DecisionPipeline(
                new DecisionPipelineSettings { DeviceId = "bench-lane", PassageTimeout = TimeSpan.FromHours(1) },
                state,
                new HubClock(TimeProvider.System, TimeSpan.FromSeconds(30), trustLocalClock: true),
                DisconnectedHub.Instance,
                _outbox,
                _gate);
        }

        public async Task<RoundResult> RunAsync(int scans)
        {
            var gate = new long[scans];
            var full = new long[scans];
            var verify = new long[scans];
            var gateBytes = new long[scans];
            var fullBytes = new long[scans];
            for (int i = 0; i < scans; i++)
            {
                byte[] token = IssueToken();
                byte[] line = Encoding.ASCII.GetBytes(QrText.Encode(token) + "\r\n");
                if (i % 2 == 0)
                {
                    verify[i] = TimeBareVerify(token);
                }

                long allocated = GC.GetAllocatedBytesForCurrentThread();
                (gate[i], full[i]) = await TimeScanAsync(line);
                gateBytes[i] = _relayHighAllocated - allocated;
                fullBytes[i] = GC.GetAllocatedBytesForCurrentThread() - allocated;
                if (i % 2 == 1)
                {
                    verify[i] = TimeBareVerify(token);
                }

                await PassAsync();
            }

            return new RoundResult(
                Percentiles.Of(gate), Percentiles.Of(full), Percentiles.Of(verify),
                gateBytes.Order().ElementAt(scans / 2), fullBytes.Order().ElementAt(scans / 2));
        }

        public void Dispose()
        {
            _pipeline.Dispose();
            _gate.Dispose();
            _outbox.Dispose();
            _root.Dispose();
            _edge.Dispose();
            Directory.Delete(_folder, recursive: true);
        }

        private async Task<(long Gate, long Full)> TimeScanAsync(byte[] line)
        {
            _relayHighTicks = 0;
            long start = Stopwatch.GetTimestamp();
            LineFrame frame = _framer.Append(line, start)[0];
            AgentDecision? decision = await _pipeline.DecideAsync(
                new ScanRead(frame.Text, ScanSource.Qr, frame.TimestampTicks), CancellationToken.None);
            long end = Stopwatch.GetTimestamp();

            if (decision is not { Admitted: true } || _relayHighTicks == 0)
            {
                throw new InvalidOperationException(
                    $"The scan was not admitted with a relay command: {decision?.Reason}, relay edge {_relayHighTicks}.");
            }

            return (_relayHighTicks - start, end - start);
        }

        private long TimeBareVerify(byte[] token)
        {
            long start = Stopwatch.GetTimestamp();
            bool valid = NSecSignatureVerifier.Instance.Verify(
                _edge.PublicKey, token, TokenLayout.SignedLength, token, TokenLayout.SignatureOffset);
            long end = Stopwatch.GetTimestamp();

            return valid ? end - start : throw new InvalidOperationException("The bare verify rejected a fresh token.");
        }

        /// <summary>
        /// Reports the guest through the passage sensor and ends the relay pulse, unmeasured,
        /// so the next scan starts on a closed gate with no opening pending.
        /// </summary>
        private async Task PassAsync()
        {
            PinValue active = _gateOptions.PassageSensorActiveHigh ? PinValue.High : PinValue.Low;
            _driver.SetInput(_gateOptions.PassageSensorPin, active);
            _driver.SetInput(_gateOptions.PassageSensorPin, !active);
            _gateClock.Advance(_gateOptions.PulseLength + _gateOptions.PassageDebounce);
            while (_gate.State != GateState.Closed || _driver.GetValue(_gateOptions.RelayPin) == PinValue.High)
            {
                await Task.Yield();
            }
        }

        private byte[] IssueToken()
        {
            var claims = new TokenClaims
            {
                Type = TokenType.Session,
                EventId = EventId,
                LifetimeSeconds = 300,
                EntitlementId = EntitlementId,
                Role = GuestRole.Guest,
            };
            return TokenIssuer.Issue(claims, _edge, DateTimeOffset.UtcNow);
        }

        private void OnEdgeRecorded(object? sender, PinEdge edge)
        {
            if (edge.Pin == _gateOptions.RelayPin && edge.Value == PinValue.High)
            {
                _relayHighTicks = edge.TimestampTicks;
                _relayHighAllocated = GC.GetAllocatedBytesForCurrentThread();
            }
        }

        private static void Require(bool installed, string part)
        {
            if (!installed)
            {
                throw new InvalidOperationException($"The benchmark's {part} was not installed.");
            }
        }
    }
}
