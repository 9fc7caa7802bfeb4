using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Server;

namespace EdgeIoT.Firmware.Tests.Device;

/// <summary>
/// A real MQTTnet broker on 127.0.0.1 without authentication. Every publish a client sends
/// is copied into <see cref="Published"/>, with the QoS it arrived with.
/// </summary>
internal sealed class TestBroker : IAsyncDisposable
{
    private MqttServer? _server;

    private TestBroker(int port)
    {
        Port = port;
    }

    public int Port { get; }

    public Channel<MqttApplicationMessage> Published { get; } = Channel.CreateUnbounded<MqttApplicationMessage>();

    /// <summary>Starts on a port the OS chose; MQTTnet does not report a bound port 0, so a probe socket picks it.</summary>
    public static async Task<TestBroker> StartAsync()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var broker = new TestBroker(port);
        await broker.StartServerAsync();
        return broker;
    }

    public async Task StartServerAsync()
    {
        MqttServerOptions options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointPort(Port)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(options);
        _server.InterceptingPublishAsync += args =>
        {
            if (args.ClientId.Length > 0)
            {
                Published.Writer.TryWrite(args.ApplicationMessage);
            }

            return Task.CompletedTask;
        };
        await _server.StartAsync();
    }

    public async Task StopServerAsync()
    {
        if (_server is not null)
        {
            await _server.StopAsync();
            _server.Dispose();
            _server = null;
        }
    }

    public Task PublishRetainedAsync(string topic, byte[] payload)
    {
        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithRetainFlag(true)
            .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        return _server!.InjectApplicationMessage(new InjectedMqttApplicationMessage(message) { SenderClientId = "hub" });
    }

    public async ValueTask DisposeAsync() => await StopServerAsync();
}
