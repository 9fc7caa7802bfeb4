using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using EdgeIoT.Simulator.Scenarios;

namespace EdgeIoT.Simulator.Tests;

/// <summary>
/// The published schema and the reader accept the same fields, so the schema stays a true
/// description of what <see cref="ScenarioLoader"/> reads.
/// </summary>
public sealed class SchemaTests
{
    private static readonly JsonObject Schema =
        JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.Scenarios, "schema.json")))!.AsObject();

    public static TheoryData<string, Type> Objects() => new()
    {
        { "", typeof(ScenarioDocument) },
        { "$defs.venue", typeof(VenueDocument) },
        { "$defs.hub", typeof(HubDocument) },
        { "$defs.lane", typeof(LaneDocument) },
        { "$defs.crowd", typeof(CrowdDocument) },
        { "$defs.crowd.properties.rush", typeof(RushDocument) },
        { "$defs.crowd.properties.badActors", typeof(BadActorsDocument) },
        { "$defs.crowd.properties.camera", typeof(CameraDocument) },
        { "$defs.crowd.properties.serialScanner", typeof(SerialScannerDocument) },
        { "$defs.crowd.properties.passage", typeof(PassageDocument) },
        { "$defs.crowd.properties.nfc", typeof(NfcDocument) },
        { "$defs.keys", typeof(KeysDocument) },
        { "$defs.fault", typeof(FaultDocument) },
    };

    [Theory]
    [MemberData(nameof(Objects))]
    public void Schema_ObjectProperties_MatchReader(string path, Type document)
    {
        JsonObject node = Schema;
        foreach (string step in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node[step]!.AsObject();
        }

        string[] inSchema = [.. node["properties"]!.AsObject().Select(p => p.Key).Where(k => k != ScenarioLoader.ShortSection)];
        string[] inReader = [.. document.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name))];

        Assert.Equal(inReader.Order(StringComparer.Ordinal), inSchema.Order(StringComparer.Ordinal));
        Assert.Equal(false, node["additionalProperties"]?.GetValue<bool>());
    }

    [Fact]
    public void Schema_FaultKinds_MatchReader()
    {
        string[] inSchema = [.. Schema["$defs"]!["fault"]!["properties"]!["kind"]!["enum"]!.AsArray().Select(k => k!.GetValue<string>())];

        Assert.Equal(FaultKinds.Names.Order(StringComparer.Ordinal), inSchema.Order(StringComparer.Ordinal));
    }
}
