using System.Device.Gpio;
using System.Diagnostics;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
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

namespace EdgeIoT.Benchmarks;

/// <summary>
/// One scan on an offline lane, from the serial scanner's bytes to the stored decision: line
/// framing, QR text hygiene, NSec verify, the offline policy, the relay command on a GPIO gate
/// over the simulated driver, and the outbox commit. Beside it, a bare NSec verify of the same
/// token. Each iteration is one scan with a fresh token, so the percentiles are per scan.
/// </summary>
[Config(typeof(PercentileConfig))]
[MemoryDiagnoser]
[InvocationCount(1)]
[WarmupCount(50)]
[IterationCount(1000)]
public class ScanToGateBenchmarks
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

    private readonly LineFramer _framer = new();
    private string _folder = null!;
    private SigningKey _root = null!;
    private SigningKey _edge = null!;
    private EventOutbox _outbox = null!;
    private GpioGate _gate = null!;
    private DecisionPipeline _pipeline = null!;
    private byte[] _line = null!;
    private byte[] _token = null!;

    [GlobalSetup]
    public void Setup()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        _root = SigningKey.Generate(now.AddDays(-1), now.AddDays(1));
        _edge = SigningKey.Generate(now.AddHours(-1), now.AddHours(2));

        // The outbox goes on tmpfs where there is one, so its fsync after the gate command does
        // not dominate the figure. On a Pi the SD card adds that time after the gate has opened.
        string parent = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        _folder = Path.Combine(parent, "edgeiot-bench-" + Guid.NewGuid().ToString("N")[..8]);
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
        _gate = new GpioGate(new GpioController(new SimulatedGpioDriver()), new GpioGateOptions());
        _pipeline = new DecisionPipeline(
            new DecisionPipelineSettings { DeviceId = "bench-lane", PassageTimeout = TimeSpan.FromHours(1) },
            state,
            new HubClock(TimeProvider.System, TimeSpan.FromSeconds(30), trustLocalClock: true),
            DisconnectedHub.Instance,
            _outbox,
            _gate);
    }

    /// <summary>Issues the next guest's token, unmeasured. A fresh token id keeps every scan an admit.</summary>
    [IterationSetup]
    public void IssueToken()
    {
        var claims = new TokenClaims
        {
            Type = TokenType.Session,
            EventId = EventId,
            LifetimeSeconds = 300,
            EntitlementId = EntitlementId,
            Role = GuestRole.Guest,
        };
        _token = TokenIssuer.Issue(claims, _edge, DateTimeOffset.UtcNow);
        _line = Encoding.ASCII.GetBytes(QrText.Encode(_token) + "\r\n");
    }

    [Benchmark]
    public async Task<bool> ScanBytesToGate()
    {
        LineFrame frame = _framer.Append(_line, Stopwatch.GetTimestamp())[0];
        AgentDecision? decision = await _pipeline.DecideAsync(new ScanRead(frame.Text, ScanSource.Qr, frame.TimestampTicks), CancellationToken.None);
        return decision is { Admitted: true } ? true : throw new InvalidOperationException($"The scan was not admitted: {decision?.Reason}.");
    }

    [Benchmark(Baseline = true)]
    public bool BareNSecVerify() =>
        NSecSignatureVerifier.Instance.Verify(
            _edge.PublicKey, _token, TokenLayout.SignedLength, _token, TokenLayout.SignatureOffset);

    [GlobalCleanup]
    public void Cleanup()
    {
        _pipeline.Dispose();
        _gate.Dispose();
        _outbox.Dispose();
        _root.Dispose();
        _edge.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static void Require(bool installed, string part)
    {
        if (!installed)
        {
            throw new InvalidOperationException($"The benchmark's {part} was not installed.");
        }
    }

    /// <summary>
    /// Adds p50, p95 and p99 columns. The job attributes above apply to every job, the ones
    /// given on the command line too: one invocation per iteration makes each measurement one
    /// scan, and 1000 of them give a p99.
    /// </summary>
    private sealed class PercentileConfig : ManualConfig
    {
        public PercentileConfig()
        {
            AddColumn(StatisticColumn.P50, StatisticColumn.P95, new PercentileColumn(99), StatisticColumn.Max);
        }
    }

    /// <summary>A percentile of the per-iteration times, for the ones BenchmarkDotNet has no column for.</summary>
    private sealed class PercentileColumn(int percentile) : IColumn
    {
        public string Id => $"P{percentile}";

        public string ColumnName => $"P{percentile}";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Statistics;

        public int PriorityInCategory => percentile;

        public bool IsNumeric => true;

        // Dimensionless, so BenchmarkDotNet prints the text as formatted here, in microseconds.
        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => $"{percentile}th percentile of the measured iterations";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
            GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            double? nanoseconds = summary[benchmarkCase]?.ResultStatistics?.Percentiles.Percentile(percentile);
            return nanoseconds is double value
                ? (value / 1000).ToString("N1", System.Globalization.CultureInfo.InvariantCulture) + " μs"
                : "NA";
        }

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }
}
