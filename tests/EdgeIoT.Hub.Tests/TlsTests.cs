using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Formatter;

namespace EdgeIoT.Hub.Tests;

public sealed class TlsTests : IDisposable
{
    private const string CertificatePassword = "test-only";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "edgeiot-tls-tests", Guid.NewGuid().ToString("N"));
    private readonly X509Certificate2 _certificate;

    public TlsTests()
    {
        Directory.CreateDirectory(_folder);
        _certificate = CreateServerCertificate();
        File.WriteAllBytes(CertificateFile, _certificate.Export(X509ContentType.Pfx, CertificatePassword));
    }

    private string CertificateFile => Path.Combine(_folder, "hub.pfx");

    [Fact]
    public async Task Tls_TrustedCertificate_EventStoredOverTls()
    {
        await using HubHarness hub = await HubHarness.StartAsync(EnableTls);
        Api.EnrollDeviceResponse enrolled = await hub.EnrollAsync("gate-1");
        IMqttClient gate = hub.NewClient();

        MqttClientConnectResult connected = await gate.ConnectAsync(
            TlsOptions(hub, enrolled, new X509Certificate2Collection(_certificate)));
        MqttClientPublishResult published = await gate.PublishEventAsync(hub.Options.Venue, TestData.Event("gate-1", 1));

        Assert.Equal(MqttClientConnectResultCode.Success, connected.ResultCode);
        Assert.True(published.IsSuccess, published.ReasonCode.ToString());
        Assert.Equal(1, HubDatabaseProbe.CountEvents(hub, "gate-1:1"));
        Assert.NotEqual(0, hub.Endpoints.MqttTlsPort);
        Assert.Equal(0, hub.Endpoints.MqttPort);
    }

    [Fact]
    public async Task Tls_UntrustedCertificate_ConnectionFails()
    {
        await using HubHarness hub = await HubHarness.StartAsync(EnableTls);
        Api.EnrollDeviceResponse enrolled = await hub.EnrollAsync("gate-1");
        using X509Certificate2 stranger = CreateServerCertificate();
        IMqttClient gate = hub.NewClient();

        Task connect = gate.ConnectAsync(TlsOptions(hub, enrolled, new X509Certificate2Collection(stranger)));

        await Assert.ThrowsAnyAsync<Exception>(() => connect);
        Assert.False(gate.IsConnected);
    }

    [Fact]
    public async Task Tls_KeepPlainEndpoint_BothPortsServe()
    {
        await using HubHarness hub = await HubHarness.StartAsync(options =>
        {
            EnableTls(options);
            options.Mqtt.Tls.KeepPlainEndpoint = true;
        });

        IMqttClient plain = await hub.ConnectDeviceAsync("gate-1");

        Assert.True(plain.IsConnected);
        Assert.NotEqual(0, hub.Endpoints.MqttTlsPort);
        Assert.NotEqual(hub.Endpoints.MqttPort, hub.Endpoints.MqttTlsPort);
    }

    public void Dispose()
    {
        _certificate.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static MqttClientOptions TlsOptions(
        HubHarness hub, Api.EnrollDeviceResponse enrolled, X509Certificate2Collection trust) =>
        new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", hub.Endpoints.MqttTlsPort)
            .WithClientId(enrolled.DeviceId)
            .WithCredentials(enrolled.MqttUsername, enrolled.MqttPassword)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithTimeout(HubHarness.Timeout)
            .WithTlsOptions(tls => tls.UseTls().WithTrustChain(trust))
            .Build();

    private static X509Certificate2 CreateServerCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=edgeiot-hub-test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 created = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    private void EnableTls(Options.HubOptions options)
    {
        options.Mqtt.Tls.Enabled = true;
        options.Mqtt.Tls.Port = 0;
        options.Mqtt.Tls.CertificateFile = CertificateFile;
        options.Mqtt.Tls.CertificatePassword = CertificatePassword;
    }
}
