using System.Device.Gpio;
using EdgeIoT.EdgeAgent.Decisions;
using EdgeIoT.EdgeAgent.HubLink;
using EdgeIoT.EdgeAgent.Storage;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hardware;
using EdgeIoT.Hardware.Simulated;
using EdgeIoT.Hub.Api;
using EdgeIoT.Protocol.Crypto;

namespace EdgeIoT.Tokens.Tests;

/// <summary>
/// An edge agent lane from its real parts, without the host: hub link to a <see cref="TestVenue"/>,
/// SQLite outbox, decision pipeline and a GPIO gate on the simulated driver.
/// </summary>
internal sealed class AgentLane : IAsyncDisposable
{
    private readonly CancellationTokenSource _running = new();
    private readonly SemaphoreSlim _changed = new(0);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "edgeiot-token-tests", Guid.NewGuid().ToString("N"));
    private Task _loop = Task.CompletedTask;

    private AgentLane(TestVenue venue, string deviceId, EnrollDeviceResponse enrolled)
    {
        Directory.CreateDirectory(_directory);
        Outbox = new EventOutbox(Path.Combine(_directory, EventOutbox.FileName), deviceId, 1000);
        State = new HubState(
            new TokenVerifier(NSecSignatureVerifier.Instance, venue.EventId, 20),
            venue.RootPublicKey,
            NSecSignatureVerifier.Instance,
            folder: null);
        var clock = new HubClock(TimeProvider.System, TimeSpan.FromSeconds(30), trustLocalClock: true);
        Hub = new HubConnection(
            new HubConnectionSettings
            {
                DeviceId = deviceId,
                Venue = venue.Endpoints.Venue,
                Host = "127.0.0.1",
                Port = venue.Endpoints.MqttPort,
                Username = enrolled.MqttUsername,
                Password = enrolled.MqttPassword,
            },
            State,
            clock);
        Gate = new GpioGate(new GpioController(new SimulatedGpioDriver()), new GpioGateOptions());
        Pipeline = new DecisionPipeline(
            // A long online check timeout, so a busy machine cannot turn the hub's decision into an offline one.
            new DecisionPipelineSettings { DeviceId = deviceId, DebounceWindow = TimeSpan.Zero, OnlineCheckTimeout = TestVenue.Timeout },
            State,
            clock,
            Hub,
            Outbox,
            Gate);
        State.Installed += (_, _) => _changed.Release();
        Hub.Connected += (_, _) => _changed.Release();
    }

    public HubState State { get; }

    public HubConnection Hub { get; }

    public EventOutbox Outbox { get; }

    public GpioGate Gate { get; }

    public DecisionPipeline Pipeline { get; }

    /// <summary>Enrolls the lane, connects it and waits until the key list arrived.</summary>
    public static async Task<AgentLane> StartAsync(TestVenue venue, string deviceId)
    {
        EnrollDeviceResponse enrolled = await venue.EnrollAsync(deviceId, "agent");
        var lane = new AgentLane(venue, deviceId, enrolled);
        lane._loop = lane.Hub.RunAsync(lane._running.Token);
        await lane.WaitUntilAsync(() => lane.Hub.IsConnected && lane.State.Verifier.Keys is not null, "the key list");
        return lane;
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> holds, checking it after every install or
    /// connect and at least every 50 ms, because some conditions change on the hub's side.
    /// </summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TestVenue.Timeout);
        while (!condition())
        {
            if (timeout.IsCancellationRequested)
            {
                Assert.Fail($"Timed out after {TestVenue.Timeout.TotalSeconds} s waiting for {what}.");
            }

            await _changed.WaitAsync(TimeSpan.FromMilliseconds(50));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _running.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // The connection loop ends by cancellation.
        }

        await Hub.DisposeAsync();
        Pipeline.Dispose();
        Gate.Dispose();
        Outbox.Dispose();
        _changed.Dispose();
        _running.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
