using System.Text;
using System.Text.Json;
using CsCheck;
using EdgeIoT.Firmware.Json;
using EdgeIoT.Firmware.Policy;
using EdgeIoT.Firmware.Provisioning;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Fuzz.Tests;

/// <summary>
/// JSON from outside: MQTT payloads from devices, policy files from operators, and the
/// firmware's own small reader that parses both on the gate.
/// </summary>
public sealed class JsonFuzzTests
{
    [Fact]
    public void JsonReader_MutatedDocuments_ParseOrReject()
    {
        IReadOnlyList<byte[]> corpus = [.. Corpus.PolicyFiles, .. Corpus.EventPayloads, .. Corpus.CheckRequests];
        Mutator.Mutants(corpus).Sample(json =>
        {
            ParserProbe.Run("JsonReader.TryParse", json, () =>
            {
                JsonValue? value = JsonReader.TryParse(json, out string? error);
                Assert.True(value is not null || !string.IsNullOrWhiteSpace(error), "rejected without a reason");
            });
        }, iter: FuzzBudget.Iterations(20_000));
    }

    /// <summary>Deep enough to overflow a recursive reader's stack on a device, small enough to pass the size limit.</summary>
    private const int Depth = 2_000;

    [Theory]
    [InlineData('[', ']')]
    [InlineData('{', '}')]
    public void JsonReader_DeepNesting_RejectedByDepth(char open, char close)
    {
        string inner = open == '{' ? "\"a\":" : string.Empty;
        var text = new StringBuilder();
        for (int i = 0; i < Depth; i++)
        {
            text.Append(open);
            if (i < Depth - 1)
            {
                text.Append(inner);
            }
        }

        text.Append(new string(close, Depth));
        byte[] json = Encoding.UTF8.GetBytes(text.ToString());

        JsonValue? value = JsonReader.TryParse(json, out string? error);

        Assert.Null(value);
        Assert.Contains("nesting", error, StringComparison.Ordinal);
    }

    [Fact]
    public void PolicyFile_MutatedFiles_LoadOrReject()
    {
        Mutator.Mutants(Corpus.PolicyFiles).Sample(json =>
        {
            ParserProbe.Run("OfflinePolicy.TryParse", json, () =>
            {
                OfflinePolicy? policy = OfflinePolicy.TryParse(json, out string? error);
                Assert.True(policy is not null || !string.IsNullOrWhiteSpace(error), "rejected without a reason");
            });
        }, iter: FuzzBudget.Iterations(10_000));
    }

    [Fact]
    public void DeviceBundle_MutatedFiles_LoadOrReject()
    {
        Mutator.Mutants(Corpus.DeviceBundles).Sample(json =>
        {
            ParserProbe.Run("DeviceBundle.TryParse", json, () =>
            {
                DeviceBundle? bundle = DeviceBundle.TryParse(json, out string? error);
                Assert.True(bundle is not null || !string.IsNullOrWhiteSpace(error), "rejected without a reason");
            });
        }, iter: FuzzBudget.Iterations(10_000));
    }

    [Fact]
    public void EventPayload_MutatedJson_OnlyJsonException()
    {
        Mutator.Mutants(Corpus.EventPayloads).Sample(json =>
            ParserProbe.Run("ProtocolJson.Deserialize<EdgeEvent>", json,
                () => ProtocolJson.Deserialize<EdgeEvent>(json), documented: typeof(JsonException)),
            iter: FuzzBudget.Iterations(20_000));
    }

    [Fact]
    public void CheckRequest_MutatedJson_OnlyJsonException()
    {
        Mutator.Mutants(Corpus.CheckRequests).Sample(json =>
            ParserProbe.Run("ProtocolJson.Deserialize<CheckRequest>", json,
                () => ProtocolJson.Deserialize<CheckRequest>(json), documented: typeof(JsonException)),
            iter: FuzzBudget.Iterations(10_000));
    }

    [Fact]
    public void EventPayload_MissingField_ErrorNamesField()
    {
        foreach (string field in new[] { "eventId", "deviceId", "deviceClass", "bootId", "seq", "kind", "deviceTimeMs" })
        {
            var document = JsonDocument.Parse(Corpus.EventPayloads[0]).RootElement.EnumerateObject()
                .Where(property => property.Name != field)
                .ToDictionary(property => property.Name, property => property.Value);
            byte[] json = JsonSerializer.SerializeToUtf8Bytes(document);

            JsonException error = Assert.Throws<JsonException>(() => ProtocolJson.Deserialize<EdgeEvent>(json));

            Assert.Contains(field, error.Message, StringComparison.Ordinal);
        }
    }
}
