using System.Device.Gpio;
using EdgeIoT.EdgeAgent.Decisions;
using EdgeIoT.EdgeAgent.HubLink;
using EdgeIoT.EdgeAgent.Purchases;
using EdgeIoT.EdgeAgent.Storage;
using EdgeIoT.Hardware;
using EdgeIoT.Hardware.Simulated;
using EdgeIoT.Protocol.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeIoT.EdgeAgent.Tests;

public sealed class AgentAppTests
{
    [Fact]
    public async Task AgentHost_QrShownToCamera_AdmitsAndHubStoresEvent()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using TestHub hub = await TestHub.StartAsync();
        await hub.PublishVenueStateAsync(keys);
        await using var camera = new SimulatedCamera();
        var gpio = new SimulatedGpioDriver();
        using IHost host = BuildHost(keys, folder.Path, hub.Port, services =>
        {
            services.AddSingleton<IScanner>(camera);
            services.AddSingleton<IGate>(new GpioGate(new GpioController(gpio), new GpioGateOptions()));
        });
        var decided = new TaskCompletionSource<AgentDecision>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Services.GetRequiredService<DecisionPipeline>().Decided += (_, decision) => decided.TrySetResult(decision);
        Task venueState = WaitForVenueStateAsync(host.Services.GetRequiredService<HubState>(), timeout.Token);

        await host.StartAsync(timeout.Token);
        await venueState;
        await camera.PresentAsync(QrImages.RenderPng(keys.Issue(1001)));
        AgentDecision decision = await decided.Task.WaitAsync(timeout.Token);
        EdgeEvent stored = await hub.Events.Reader.ReadAsync(timeout.Token);
        await host.StopAsync(timeout.Token);

        Assert.True(decision.Admitted);
        Assert.Equal(DecisionModes.Online, decision.Mode);
        Assert.Contains(gpio.Edges, edge => edge.Pin == new GpioGateOptions().RelayPin && edge.Value == PinValue.High);
        Assert.Equal(decision.EventId, stored.EventId);
        Assert.Equal("agent", stored.DeviceClass);
    }

    [Fact]
    public void AgentHost_SimulatorServices_WinOverConfiguredDevices()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        var printer = new RecordingPrinter();

        using IHost host = BuildHost(keys, folder.Path, TestHub.FreeLoopbackPort(), services =>
            services.AddSingleton<IReceiptPrinter>(printer));

        Assert.Same(printer, host.Services.GetRequiredService<IReceiptPrinter>());
        Assert.IsType<PurchaseTerminal>(host.Services.GetRequiredService<IPurchaseTerminal>());
    }

    [Fact]
    public async Task AgentHost_NfcReaderMfrc522_CreatesMfrc522Reader()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using IHost host = AgentApp.Build([], options =>
        {
            options.DeviceId = "lane-9";
            options.Venue = TestHub.Venue;
            options.DataDirectory = folder.Path;
            options.RootPublicKey = keys.RootPublicKeyBase64;
            options.Hardware.Scanner = "nfc";
            options.Hardware.NfcReader = "mfrc522";
        });

        await using IScanner scanner = host.Services.GetRequiredService<IScanner>();

        Assert.IsType<Mfrc522NfcReader>(scanner);
    }

    [Fact]
    public void AgentHost_SimulatedPassageOnGpio_ErrorNamesMode()
    {
        using var folder = new TempFolder();
        using IHost host = AgentApp.Build([], options =>
        {
            options.DeviceId = "lane-9";
            options.Venue = TestHub.Venue;
            options.DataDirectory = folder.Path;
            options.Hardware.Mode = "gpio";
            options.Hardware.SimulatedPassage = true;
        });

        var exception = Assert.Throws<OptionsValidationException>(
            () => host.Services.GetRequiredService<IOptions<Configuration.AgentOptions>>().Value);

        Assert.Contains(exception.Failures, failure => failure.Contains("Agent:Hardware:SimulatedPassage", StringComparison.Ordinal)
            && failure.Contains("Mode 'gpio'", StringComparison.Ordinal));
    }

    [Fact]
    public void AgentHost_UnknownNfcReader_ErrorNamesValue()
    {
        using var folder = new TempFolder();
        using IHost host = AgentApp.Build([], options =>
        {
            options.DeviceId = "lane-9";
            options.Venue = TestHub.Venue;
            options.DataDirectory = folder.Path;
            options.Hardware.NfcReader = "rc522";
        });

        var exception = Assert.Throws<OptionsValidationException>(
            () => host.Services.GetRequiredService<IOptions<Configuration.AgentOptions>>().Value);

        Assert.Contains(exception.Failures, failure => failure.Contains("Agent:Hardware:NfcReader 'rc522'", StringComparison.Ordinal));
    }

    [Fact]
    public void AgentHost_InvalidRootKey_ErrorNamesValue()
    {
        using var folder = new TempFolder();
        using IHost host = AgentApp.Build([], options =>
        {
            options.DeviceId = "lane-9";
            options.Venue = TestHub.Venue;
            options.DataDirectory = folder.Path;
            options.RootPublicKey = "bm90LWEta2V5";
        });

        var exception = Assert.Throws<OptionsValidationException>(
            () => host.Services.GetRequiredService<IOptions<Configuration.AgentOptions>>().Value);

        Assert.Contains(exception.Failures, failure => failure.Contains("Agent:RootPublicKey 'bm90LWEta2V5'", StringComparison.Ordinal));
    }

    private static IHost BuildHost(VenueKeys keys, string dataDirectory, int hubPort, Action<IServiceCollection> services) =>
        AgentApp.Build(
            [],
            options =>
            {
                options.DeviceId = "lane-host";
                options.Venue = TestHub.Venue;
                options.EventId = VenueKeys.EventId;
                options.DataDirectory = dataDirectory;
                options.RootPublicKey = keys.RootPublicKeyBase64;
                options.Mqtt.Port = hubPort;
                options.Mqtt.ReconnectMinDelay = TimeSpan.FromMilliseconds(50);
                options.TrustLocalClock = true;
                options.OnlineCheckTimeout = TimeSpan.FromMilliseconds(500);
            },
            services);

    private static async Task WaitForVenueStateAsync(HubState state, CancellationToken cancellationToken)
    {
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        state.Installed += (_, _) =>
        {
            if (state.Verifier.Keys is not null && state.Snapshot is not null && state.Policy is not null)
            {
                all.TrySetResult();
            }
        };
        await all.Task.WaitAsync(cancellationToken);
    }

    private sealed class RecordingPrinter : IReceiptPrinter
    {
        public Task<PrinterStatus> PrintAsync(Receipt receipt, CancellationToken cancellationToken) =>
            Task.FromResult(new PrinterStatus(Online: true, PaperOut: false, CoverOpen: false, PaperNearEnd: false));

        public Task<PrinterStatus> GetStatusAsync(CancellationToken cancellationToken) =>
            PrintAsync(null!, cancellationToken);
    }
}
