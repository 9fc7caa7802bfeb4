using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Threading.Channels;
using EdgeIoT.Hardware.Simulated;
using EdgeIoT.Protocol.Messaging;
using MQTTnet;

namespace EdgeIoT.EdgeAgent.Tests.Arm64;

/// <summary>
/// The Raspberry Pi build: the linux-arm64 self-contained publish runs under qemu-user
/// emulation against a test hub on loopback, with a pseudo-terminal as its serial scanner and
/// the simulated GPIO gate.
/// </summary>
[Trait("Category", "Arm64")]
public sealed class Arm64AgentTests
{
    private const string DeviceId = "pi-lane";

    // ELF e_machine value of AArch64 (EM_AARCH64 in glibc's elf.h).
    private const ushort ElfMachineAarch64 = 183;

    // Emulation runs the JIT and the agent many times slower than native code, and the
    // machine is shared with other builds.
    private static readonly TimeSpan EmulatedTimeout = TimeSpan.FromSeconds(120);

    private static readonly TimeSpan HubClockLead = TimeSpan.FromSeconds(10);

    [QemuArm64Fact]
    public async Task Publish_NativeLibraries_AreArm64()
    {
        string folder = await Arm64Publish.GetFolderAsync();

        // The apphost and runtime, then SQLite (outbox), libsodium (NSec Ed25519), serial ports
        // and SkiaSharp (camera frames).
        string[] binaries =
        [
            Arm64Publish.AppHostName, "libcoreclr.so", "libe_sqlite3.so", "libsodium.so",
            "libSystem.IO.Ports.Native.so", "libSkiaSharp.so",
        ];
        foreach (string name in binaries)
        {
            string path = Path.Combine(folder, name);
            Assert.True(File.Exists(path), $"{name} is missing from {folder}");
            Assert.True(ReadElfMachine(path) == ElfMachineAarch64, $"{name} is not an AArch64 ELF file");
        }
    }

    [QemuArm64Fact]
    public async Task Doctor_Emulated_PassesEveryCheck()
    {
        string folder = await Arm64Publish.GetFolderAsync();
        using var keys = new VenueKeys();
        using var data = new TempFolder();
        using var scanner = new PseudoTerminal();
        await using TestHub hub = await TestHub.StartAsync();
        await using var beacons = new HubBeacons(hub, keys, HubClockLead);
        using var timeout = new CancellationTokenSource(EmulatedTimeout);

        await using var agent = EmulatedAgent.Start(folder, ["doctor", .. Settings(keys, data.Path, hub.Port, scanner)]);
        int exitCode = await agent.WaitForExitAsync(timeout.Token);

        Assert.True(exitCode == 0, $"doctor exited with {exitCode}:{Environment.NewLine}{agent.Output}");
        Assert.Contains($"OK   scanner: {scanner.SlavePath} present", agent.Output, StringComparison.Ordinal);
        Assert.Contains("OK   hub-mqtt: logged in", agent.Output, StringComparison.Ordinal);
        Assert.Contains("OK   clock: offset from the hub", agent.Output, StringComparison.Ordinal);
    }

    [QemuArm64Fact]
    public async Task Run_Emulated_AdmitsValidTokenAndDeniesForgedOne()
    {
        string folder = await Arm64Publish.GetFolderAsync();
        using var keys = new VenueKeys();
        using var data = new TempFolder();
        using var scanner = new PseudoTerminal();
        await using TestHub hub = await TestHub.StartAsync();
        await hub.PublishVenueStateAsync(keys);
        await using var beacons = new HubBeacons(hub, keys, HubClockLead);
        using var timeout = new CancellationTokenSource(EmulatedTimeout);
        var telemetry = Channel.CreateUnbounded<DeviceTelemetry>();
        using IMqttClient observer = await ObserveTelemetryAsync(hub.Port, telemetry.Writer, timeout.Token);

        string[] run =
        [
            "run", .. Settings(keys, data.Path, hub.Port, scanner),
            "--Agent:PassageTimeout=00:00:01", "--Agent:TelemetryInterval=00:00:01",
        ];
        await using var agent = EmulatedAgent.Start(folder, run);
        await agent.WaitForOutputAsync("Scanner serial-scanner connected", timeout.Token);
        await WaitForKeysAndClockAsync(telemetry.Reader, timeout.Token);

        scanner.Write(Encoding.ASCII.GetBytes(keys.Issue(1001) + "\r\n"));
        EdgeEvent admit = await NextEventAsync(hub, "decision", timeout.Token);
        scanner.Write(Encoding.ASCII.GetBytes(keys.Forge(2001) + "\r\n"));
        EdgeEvent deny = await NextEventAsync(hub, "decision", timeout.Token);
        EdgeEvent annul = await NextEventAsync(hub, "status", timeout.Token);

        Assert.Equal("admit", admit.Outcome);
        Assert.Equal(1001, admit.EntitlementId);
        Assert.Equal(DeviceId, admit.DeviceId);
        Assert.Equal("deny", deny.Outcome);
        Assert.Equal("bad_signature", deny.Reason);

        // Nobody walks through the simulated gate, so the gate's passage watch annuls the admit.
        Assert.Equal("annulled", annul.Detail);
        Assert.Equal(admit.Nonce, annul.Nonce);
    }

    private static string[] Settings(VenueKeys keys, string dataDirectory, int hubPort, PseudoTerminal scanner) =>
    [
        $"--Agent:DeviceId={DeviceId}",
        $"--Agent:Venue={TestHub.Venue}",
        $"--Agent:EventId={VenueKeys.EventId}",
        $"--Agent:RootPublicKey={keys.RootPublicKeyBase64}",
        $"--Agent:DataDirectory={dataDirectory}",
        $"--Agent:Mqtt:Port={hubPort}",
        "--Agent:Hardware:Mode=simulated",
        "--Agent:Hardware:Scanner=serial",
        $"--Agent:Hardware:SerialPort={scanner.SlavePath}",
    ];

    /// <summary>Returns the e_machine field of an ELF file's header, or 0 when it is not ELF.</summary>
    private static ushort ReadElfMachine(string path)
    {
        byte[] header = new byte[20];
        using FileStream file = File.OpenRead(path);
        file.ReadExactly(header);

        // Bytes 0-3 are the magic number, and e_machine is a little-endian half-word at offset 18.
        bool isElf = header[0] == 0x7F && header[1] == (byte)'E' && header[2] == (byte)'L' && header[3] == (byte)'F';
        return isElf ? BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(18)) : (ushort)0;
    }

    private static async Task<IMqttClient> ObserveTelemetryAsync(
        int hubPort, ChannelWriter<DeviceTelemetry> samples, CancellationToken cancellationToken)
    {
        IMqttClient client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += args =>
        {
            samples.TryWrite(ProtocolJson.Deserialize<DeviceTelemetry>(args.ApplicationMessage.Payload.ToArray()));
            return Task.CompletedTask;
        };
        await client.ConnectAsync(
            new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", hubPort).WithClientId("telemetry-observer").Build(),
            cancellationToken);
        await client.SubscribeAsync(
            new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(Topics.Telemetry(TestHub.Venue, DeviceId))
                .Build(),
            cancellationToken);
        return client;
    }

    // The agent reports the key list version and the clock offset in its telemetry. A scan is
    // admitted only once it has both.
    private static async Task WaitForKeysAndClockAsync(ChannelReader<DeviceTelemetry> samples, CancellationToken cancellationToken)
    {
        long leadMs = (long)HubClockLead.TotalMilliseconds;
        await foreach (DeviceTelemetry sample in samples.ReadAllAsync(cancellationToken))
        {
            if (sample.KeyListVersion == 1 && Math.Abs(sample.ClockOffsetMs) >= leadMs / 2)
            {
                return;
            }
        }
    }

    private static async Task<EdgeEvent> NextEventAsync(TestHub hub, string kind, CancellationToken cancellationToken)
    {
        while (true)
        {
            EdgeEvent stored = await hub.Events.Reader.ReadAsync(cancellationToken);
            if (stored.Kind == kind)
            {
                return stored;
            }
        }
    }
}
