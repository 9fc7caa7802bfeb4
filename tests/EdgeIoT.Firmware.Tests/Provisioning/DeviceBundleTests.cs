using System.Text;
using System.Text.Json.Nodes;
using EdgeIoT.Firmware.Provisioning;

namespace EdgeIoT.Firmware.Tests.Provisioning;

public class DeviceBundleTests
{
    private static readonly string RootKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    [Fact]
    public void Bundle_Valid_ParsesEveryField()
    {
        DeviceBundle bundle = DeviceBundle.TryParse(Bytes(ValidBundle()), out string? error)!;

        Assert.Null(error);
        Assert.Equal("esp32-gate-01", bundle.DeviceId);
        Assert.Equal("popup", bundle.Venue);
        Assert.Equal(7u, bundle.EventId);
        Assert.Equal(2, bundle.Zone);
        Assert.Equal("192.168.10.2", bundle.MqttHost);
        Assert.Equal(1883, bundle.MqttPort);
        Assert.Equal("esp32-gate-01", bundle.MqttUsername);
        Assert.Equal("mqtt-secret", bundle.MqttPassword);
        Assert.Equal(Convert.FromBase64String(RootKey), bundle.RootPublicKey);
        Assert.Equal("venue-staff", bundle.WifiSsid);
        Assert.Equal("wifi-secret", bundle.WifiPassword);
        Assert.Equal("http://192.168.10.2:5080", bundle.HubUrl);
    }

    [Fact]
    [Trait("Category", "Security")]
    public void Bundle_ToString_LeavesOutPasswords()
    {
        DeviceBundle bundle = DeviceBundle.TryParse(Bytes(ValidBundle()), out _)!;

        string text = bundle.ToString();

        Assert.Contains("esp32-gate-01", text, StringComparison.Ordinal);
        Assert.DoesNotContain("mqtt-secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("wifi-secret", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("format", "\"other\"", "format must be \"edgeiot-device-bundle\"")]
    [InlineData("version", "2", "version 2 is not supported")]
    [InlineData("deviceId", "\"gate 1\"", "deviceId 'gate 1' may contain only")]
    [InlineData("rootPublicKey", "\"AAAA\"", "rootPublicKey must decode to 32 bytes, got 3")]
    [InlineData("rootPublicKey", "\"not base64!\"", "rootPublicKey is not valid base64")]
    [InlineData("zone", "256", "zone 256 is out of range 0 to 255")]
    [InlineData("mqtt", "{\"host\":\"h\",\"port\":0,\"username\":\"u\",\"password\":\"p\"}", "mqtt.port 0 is out of range 1 to 65535")]
    [InlineData("mqtt", "{\"host\":\"h\",\"port\":1883,\"username\":\"u\"}", "mqtt.password is missing or not a string")]
    [InlineData("wifi", "{\"ssid\":\"s\",\"password\":\"short\"}", "wifi.password must be empty (open network) or 8 to 63 characters")]
    [InlineData("venue", "null", "venue is missing or not a string")]
    public void Bundle_InvalidField_IsRejectedNamingIt(string field, string json, string expected)
    {
        JsonObject bundle = ValidBundle();
        bundle[field] = JsonNode.Parse(json);

        Assert.Null(DeviceBundle.TryParse(Bytes(bundle), out string? error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bundle_NotJson_IsRejected()
    {
        Assert.Null(DeviceBundle.TryParse(Encoding.UTF8.GetBytes("{\"format\":"), out string? error));
        Assert.StartsWith("bundle is not valid JSON", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bundle_ToTurnstileConfig_CarriesIdentity()
    {
        DeviceBundle bundle = DeviceBundle.TryParse(Bytes(ValidBundle()), out _)!;

        var config = bundle.ToTurnstileConfig();

        Assert.Equal("esp32-gate-01", config.DeviceId);
        Assert.Equal("popup", config.Venue);
        Assert.Equal(7u, config.EventId);
        Assert.Equal(2, config.Zone);
        Assert.Equal(32, config.RootPublicKey.Length);
    }

    private static JsonObject ValidBundle() => new()
    {
        ["format"] = "edgeiot-device-bundle",
        ["version"] = 1,
        ["deviceId"] = "esp32-gate-01",
        ["venue"] = "popup",
        ["eventId"] = 7,
        ["zone"] = 2,
        ["hubUrl"] = "http://192.168.10.2:5080",
        ["rootPublicKey"] = RootKey,
        ["mqtt"] = new JsonObject { ["host"] = "192.168.10.2", ["port"] = 1883, ["username"] = "esp32-gate-01", ["password"] = "mqtt-secret" },
        ["wifi"] = new JsonObject { ["ssid"] = "venue-staff", ["password"] = "wifi-secret" },
    };

    private static byte[] Bytes(JsonObject bundle) => Encoding.UTF8.GetBytes(bundle.ToJsonString());
}
