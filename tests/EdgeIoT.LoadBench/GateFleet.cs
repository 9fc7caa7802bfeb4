using System.Diagnostics;
using EdgeIoT.Protocol.Messaging;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeIoT.LoadBench;

/// <summary>
/// Simulated gates: one MQTTnet client each, publishing decision events with QoS 1 on a fixed
/// schedule (open loop), so a slow target makes latency grow instead of slowing the offer.
/// </summary>
public sealed class GateFleet : IAsyncDisposable
{
    private readonly LoadProfile _profile;
    private readonly List<IMqttClient> _clients = [];
    private readonly List<string> _deviceIds = [];
    private long _nextSequence;

    private GateFleet(LoadProfile profile)
    {
        _profile = profile;
    }

    /// <summary>Connects one client per gate; <paramref name="credentials"/> returns user name and password for a gate id.</summary>
    public static async Task<GateFleet> ConnectAsync(
        LoadProfile profile, int port, Func<string, Task<(string User, string Password)>> credentials)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(credentials);

        var fleet = new GateFleet(profile);
        for (int i = 1; i <= profile.Gates; i++)
        {
            string deviceId = $"gate-{i}";
            (string user, string password) = await credentials(deviceId);
            IMqttClient client = new MqttClientFactory().CreateMqttClient();
            MqttClientOptions options = new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", port)
                .WithClientId(deviceId)
                .WithCredentials(user, password)
                .WithProtocolVersion(MqttProtocolVersion.V500)
                .WithTimeout(TimeSpan.FromSeconds(30))
                .Build();
            await ConnectWithRetryAsync(client, options);
            fleet._clients.Add(client);
            fleet._deviceIds.Add(deviceId);
        }

        return fleet;
    }

    /// <summary>Offers <paramref name="rate"/> check-ins per second over all gates for <paramref name="duration"/>.</summary>
    public async Task<PhaseResult> RunPhaseAsync(string name, int rate, TimeSpan duration)
    {
        int perGate = Math.Max(1, (int)Math.Round(rate * duration.TotalSeconds / _clients.Count));
        MqttApplicationMessage[][] messages = PrepareMessages(perGate);
        var outcomes = new GateOutcome[_clients.Count];
        double interval = Stopwatch.Frequency * (double)_clients.Count / rate;

        long start = Stopwatch.GetTimestamp();
        DateTimeOffset startedAt = DateTimeOffset.UtcNow;
        Task[] gates = Enumerable.Range(0, _clients.Count)
            .Select(gate => Task.Run(async () =>
            {
                // Gates start spread over one interval, as guests do not arrive in lockstep.
                long offset = (long)(interval * gate / _clients.Count);
                outcomes[gate] = await RunGateAsync(_clients[gate], messages[gate], start + offset, interval);
            }))
            .ToArray();
        await Task.WhenAll(gates);
        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);

        double[] all = outcomes.SelectMany(outcome => outcome.Latencies).Order().ToArray();
        GateOutcome slowest = outcomes.MaxBy(outcome => outcome.WorstLatencyMs)!;
        return new PhaseResult(name, perGate * _clients.Count, all.Length, outcomes.Sum(outcome => outcome.Failures), elapsed, all)
        {
            StartedAt = startedAt,
            SlowestDueAfter = Stopwatch.GetElapsedTime(start, slowest.WorstDue),
        };
    }

    public async ValueTask DisposeAsync()
    {
        foreach (IMqttClient client in _clients)
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync();
            }

            client.Dispose();
        }
    }

    private async Task<GateOutcome> RunGateAsync(IMqttClient client, MqttApplicationMessage[] messages, long start, double interval)
    {
        var outcome = new GateOutcome(messages.Length);
        using var inFlight = new SemaphoreSlim(_profile.MaxInFlightPerGate);
        var pending = new List<Task>(messages.Length);
        for (int k = 0; k < messages.Length; k++)
        {
            long due = start + (long)(k * interval);
            TimeSpan wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            await inFlight.WaitAsync();
            pending.Add(PublishAsync(client, messages[k], due, inFlight, outcome));
        }

        await Task.WhenAll(pending);
        return outcome;
    }

    private static async Task PublishAsync(
        IMqttClient client, MqttApplicationMessage message, long due, SemaphoreSlim inFlight, GateOutcome outcome)
    {
        try
        {
            MqttClientPublishResult result = await client.PublishAsync(message);
            double latency = Stopwatch.GetElapsedTime(due).TotalMilliseconds;
            if (result.IsSuccess)
            {
                outcome.Acknowledged(latency, due);
            }
            else
            {
                outcome.Failed();
            }
        }
        catch (Exception exception) when (exception is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
            outcome.Failed();
        }
        finally
        {
            inFlight.Release();
        }
    }

    // Serialized before the phase starts, so the generator spends its CPU on MQTT, not on JSON.
    private MqttApplicationMessage[][] PrepareMessages(int perGate)
    {
        var messages = new MqttApplicationMessage[_clients.Count][];
        for (int gate = 0; gate < _clients.Count; gate++)
        {
            messages[gate] = new MqttApplicationMessage[perGate];
            for (int k = 0; k < perGate; k++)
            {
                long seq = Interlocked.Increment(ref _nextSequence);
                EdgeEvent decision = Decision(_deviceIds[gate], seq);
                messages[gate][k] = new MqttApplicationMessageBuilder()
                    .WithTopic(Topics.Event(_profile.Venue, decision.DeviceId, decision.Kind))
                    .WithPayload(ProtocolJson.Serialize(decision))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .Build();
            }
        }

        return messages;
    }

    private static EdgeEvent Decision(string deviceId, long seq) => new()
    {
        EventId = $"{deviceId}:{seq}",
        DeviceId = deviceId,
        DeviceClass = "firmware",
        BootId = "bench-boot",
        Seq = seq,
        Kind = EventKinds.Decision,
        DeviceTimeMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        Outcome = "admit",
        Reason = "none",
        Mode = "offline",
        PolicyVersion = "venue-default@sha256:bench",
        PolicyRule = "known-ticket",
        EntitlementId = seq % 100_000,
        TokenId = seq.ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
        Role = "guest",
        LatencyMicros = 150,
        SingleEntry = true,
    };

    private static async Task ConnectWithRetryAsync(IMqttClient client, MqttClientOptions options)
    {
        // Mosquitto reloads its password file a moment after a SIGHUP, so early logins may fail.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            MqttClientConnectResult result = await client.ConnectAsync(options, timeout.Token);
            if (result.ResultCode == MqttClientConnectResultCode.Success)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
        }
    }

    /// <summary>Latencies and failures of one gate in one phase; PUBACKs complete on several threads.</summary>
    private sealed class GateOutcome(int capacity)
    {
        private readonly Lock _lock = new();

        public List<double> Latencies { get; } = new(capacity);

        public int Failures { get; private set; }

        public double WorstLatencyMs { get; private set; }

        /// <summary>Stopwatch timestamp at which the slowest acknowledged publish was due.</summary>
        public long WorstDue { get; private set; }

        public void Acknowledged(double latencyMs, long due)
        {
            lock (_lock)
            {
                Latencies.Add(latencyMs);
                if (latencyMs > WorstLatencyMs)
                {
                    WorstLatencyMs = latencyMs;
                    WorstDue = due;
                }
            }
        }

        public void Failed()
        {
            lock (_lock)
            {
                Failures++;
            }
        }
    }
}
