using System.Buffers;
using System.Collections.Concurrent;
using EdgeIoT.Protocol.Messaging;
using MQTTnet;
using MQTTnet.Formatter;

namespace EdgeIoT.EndToEnd.Tests;

/// <summary>
/// Watches the hub's broker with the operator account, as an operator with mosquitto_sub
/// would, and hands out decision events and device status as they arrive.
/// </summary>
public sealed class DecisionWatcher : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly ConcurrentQueue<EdgeEvent> _decisions = new();
    private readonly ConcurrentDictionary<string, DeviceStatus> _status = new();
    private readonly SemaphoreSlim _arrived = new(0);

    private DecisionWatcher(IMqttClient client)
    {
        _client = client;
    }

    public static async Task<DecisionWatcher> ConnectAsync(int port, string venue, string username, string password)
    {
        IMqttClient client = new MqttClientFactory().CreateMqttClient();
        var watcher = new DecisionWatcher(client);
        client.ApplicationMessageReceivedAsync += message =>
        {
            watcher.Receive(message.ApplicationMessage.Topic, message.ApplicationMessage.Payload.ToArray());
            return Task.CompletedTask;
        };
        MqttClientOptions options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithCredentials(username, password)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("e2e-operator-" + Guid.NewGuid().ToString("N")[..8])
            .Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(options, timeout.Token);
        await client.SubscribeAsync(
            new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(Topics.EventFilter(venue))
                .WithTopicFilter(Topics.StatusFilter(venue))
                .WithTopicFilter(Topics.Time(venue))
                .Build(),
            timeout.Token);
        return watcher;
    }

    /// <summary>Waits until the device has published its retained "online" status.</summary>
    public async Task WaitOnlineAsync(string deviceId, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        while (!(_status.TryGetValue(deviceId, out DeviceStatus? status) && status.State == "online"))
        {
            try
            {
                await _arrived.WaitAsync(cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(
                    $"{deviceId} did not report online within {timeout.TotalSeconds} s; seen: {string.Join(", ", _status.Keys)}");
            }
        }
    }

    /// <summary>Waits for the next decision event of <paramref name="deviceId"/>.</summary>
    public async Task<EdgeEvent> NextDecisionAsync(string deviceId, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        while (true)
        {
            foreach (EdgeEvent decision in _decisions)
            {
                if (decision.DeviceId == deviceId && _returnedEventIds.TryAdd(decision.EventId, 0))
                {
                    return decision;
                }
            }

            try
            {
                await _arrived.WaitAsync(cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No decision from {deviceId} within {timeout.TotalSeconds} s.");
            }
        }
    }

    private readonly ConcurrentDictionary<string, byte> _returnedEventIds = new();

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
        _arrived.Dispose();
    }

    /// <summary>
    /// Waits for <paramref name="count"/> more hub time beacons. Devices trust their clock only
    /// after a beacon, so a test that needs time checks waits for one to reach them.
    /// </summary>
    public async Task WaitForTimeBeaconsAsync(int count, TimeSpan timeout)
    {
        int target = Volatile.Read(ref _beacons) + count;
        using var cancellation = new CancellationTokenSource(timeout);
        while (Volatile.Read(ref _beacons) < target)
        {
            try
            {
                await _arrived.WaitAsync(cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Fewer than {count} hub time beacons arrived within {timeout.TotalSeconds} s.");
            }
        }
    }

    private int _beacons;

    private void Receive(string topic, byte[] payload)
    {
        if (topic.EndsWith("/time", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _beacons);
        }
        else if (topic.EndsWith("/status", StringComparison.Ordinal) && payload.Length > 0)
        {
            DeviceStatus status = ProtocolJson.Deserialize<DeviceStatus>(payload);
            _status[status.DeviceId] = status;
        }
        else if (topic.EndsWith("/events/" + EventKinds.Decision, StringComparison.Ordinal))
        {
            _decisions.Enqueue(ProtocolJson.Deserialize<EdgeEvent>(payload));
        }

        _arrived.Release();
    }
}
