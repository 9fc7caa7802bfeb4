using System.Globalization;
using System.Text.RegularExpressions;
using EdgeIoT.Simulator.Commands;
using EdgeIoT.Simulator.Guests;
using EdgeIoT.Simulator.Orchestration;
using EdgeIoT.Simulator.Scenarios;

namespace EdgeIoT.Simulator.Tests;

/// <summary>Reading scenario files: the shipped library, and errors that name the field and value.</summary>
public sealed class ScenarioLoaderTests : IDisposable
{
    private readonly string _folder = TestPaths.NewTempFolder("scenario");

    public static TheoryData<string> ShippedScenarios() => [.. ShippedNames()];

    public static IEnumerable<string> ShippedNames() =>
        Directory.GetFiles(TestPaths.Scenarios, "*.json")
            .Where(f => Path.GetFileName(f) != "schema.json")
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .Order(StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(ShippedScenarios))]
    public void Load_ShippedScenario_BothFormsValid(string name)
    {
        ScenarioOptions full = ScenarioLoader.Load(TestPaths.Scenario(name), shortForm: false, _folder);
        ScenarioOptions shortened = ScenarioLoader.Load(TestPaths.Scenario(name), shortForm: true, _folder);

        Assert.Equal(name, full.Name);
        Assert.Equal(name + " (short)", shortened.Name);
        Assert.True(shortened.ArrivalWindow <= TimeSpan.FromSeconds(20), $"short form window {shortened.ArrivalWindow}");
        Assert.True(full.ArrivalWindow >= shortened.ArrivalWindow);
        Assert.NotNull(full.Expectations);
        Assert.NotNull(shortened.Expectations);
        Assert.Contains(shortened.Expectations!, e => e.Text == "lost == 0");
        Assert.Contains(shortened.Expectations!, e => e.Text == "appliedTwice == 0");
    }

    [Fact]
    public void Load_ShortForm_MergesOverFullForm()
    {
        string file = Write("""
            {
              "name": "merge",
              "crowd": { "durationSeconds": 60, "arriving": 500, "rush": { "multiplier": 8 } },
              "short": { "crowd": { "durationSeconds": 10, "rush": { "start": 0.1 } } }
            }
            """);

        ScenarioOptions options = ScenarioLoader.Load(file, shortForm: true, _folder);

        Assert.Equal(TimeSpan.FromSeconds(10), options.ArrivalWindow);
        Assert.Equal(500, options.ArrivingGuests);
        Assert.Equal(8, options.RushFactor);
        Assert.Equal(0.1, options.RushStart);
    }

    [Fact]
    public void Load_UnknownField_ErrorNamesPathAndField()
    {
        string file = Write("""{ "name": "typo", "crowd": { "durationSecs": 10 } }""");

        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(file, shortForm: false, _folder));

        Assert.Contains(": crowd has an unknown field \"durationSecs\"", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Document", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(".NET", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SyntaxError_OnePositionNoParserText()
    {
        string file = Write("{\n  \"name\": \"comma\",,\n}");

        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(file, shortForm: false, _folder));

        Assert.Contains("(line 2, byte 19)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePositionInLine", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"name\": \"t\", }", "(line 1, byte 16): the object or array ends with a comma; remove that comma.")]
    [InlineData("{ \"name\": \"t\", \"expect\": [ \"lost == 0\", ] }", "(line 1, byte 41): the object or array ends with a comma")]
    [InlineData("{\n  // a comment\n  \"name\": \"t\"\n}", "(line 2, byte 3): comments are not JSON")]
    public void Load_TrailingCommaOrComment_Rejected(string json, string positionAndCause)
    {
        string file = Write(json);

        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(file, shortForm: false, _folder));

        Assert.Contains($"Scenario file {file} is not valid JSON {positionAndCause}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("reader options", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "name": "t", "seed": "abc" }""", "seed \"abc\" is invalid: use a whole number")]
    [InlineData("""{ "name": "t", "crowd": { "arriving": 1e3 } }""", "crowd.arriving 1e3 is invalid: use a whole number")]
    [InlineData("""{ "name": "t", "crowd": { "arriving": 99999999999 } }""", "crowd.arriving 99999999999 is invalid: use a whole number up to 2147483647")]
    [InlineData("""{ "name": "t", "crowd": { "nfc": { "tagShare": true } } }""", "crowd.nfc.tagShare true is invalid: use a number.")]
    [InlineData("""{ "name": "t", "crowd": [] }""", "crowd [...] is invalid: use an object")]
    [InlineData("""{ "name": "t", "expect": [ 1 ] }""", "expect[0] 1 is invalid: use a string.")]
    [InlineData("""{ "name": null }""", "name null is invalid: give the scenario a name, such as \"friday-doors\".")]
    [InlineData("""{ "name": "t", "venue": { "hub": { "host": null } } }""", "venue.hub.host null is invalid: use simulator or process.")]
    [InlineData("""{ "name": "t", "venue": { "lanes": null } }""", "venue.lanes null is invalid: use an array of objects.")]
    [InlineData("""{ "seed": 1 }""", "name is missing: give the scenario a name, such as \"friday-doors\".")]
    [InlineData("""{ "name": "t", "venue": { "lanes": [ { "count": 2 } ] } }""", "venue.lanes[0].kind is missing: use agent or esp32.")]
    [InlineData("""{ "name": "t", "faults": [ { "at": 0.2 } ] }""", "faults[0].kind is missing: use partition, latency")]
    public void Load_WrongTypeOrMissing_NamesFieldAndValue(string json, string expected)
    {
        string file = Write(json);

        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(file, shortForm: false, _folder));

        Assert.Contains($"Scenario file {file}: {expected}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Document", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "name": "r", "crowd": { "rush": { "multiplier": 0.5 } } }""", "crowd.rush.multiplier 0.5")]
    [InlineData("""{ "name": "r", "crowd": { "camera": { "blurShare": 1.5 } } }""", "crowd.camera.blurShare 1.5")]
    [InlineData("""{ "name": "r", "venue": { "lanes": [ { "kind": "esp8266" } ] } }""", "venue.lanes[0].kind \"esp8266\"")]
    [InlineData("""{ "name": "r", "venue": { "lanes": [ { "kind": "esp32", "scanner": "camera" } ] } }""", "venue.lanes[0].scanner \"camera\"")]
    [InlineData("""{ "name": "r", "crowd": { "nfc": { "tagShare": 2 } } }""", "crowd.nfc.tagShare 2")]
    [InlineData("""{ "name": "r", "faults": [ { "kind": "earthquake", "at": 0.1 } ] }""", "faults[0].kind \"earthquake\"")]
    [InlineData("""{ "name": "r", "faults": [ { "kind": "partition", "target": "agent-9", "at": 0.1, "until": 0.2 } ] }""", "faults[0].target \"agent-9\"")]
    [InlineData("""{ "name": "r", "faults": [ { "kind": "partition", "target": "hub-ledger", "at": 0.5, "until": 0.2 } ] }""", "faults[0].until 0.2")]
    [InlineData("""{ "name": "r", "faults": [ { "kind": "latency", "target": "all-lanes", "at": 0.1, "until": 0.2 } ] }""", "faults[0].milliseconds (missing)")]
    [InlineData("""{ "name": "r", "faults": [ { "kind": "printer-stall", "target": "esp32-1", "at": 0.1, "until": 0.2 } ] }""", "faults[0].target \"esp32-1\"")]
    [InlineData("""{ "name": "r", "faults": [ { "kind": "power-loss", "target": "esp32-1", "at": 0.0, "until": 0.3 }, { "kind": "power-loss", "target": "esp32-1", "at": 0.2, "until": 0.5 } ] }""", "faults[1].at 0.2 is invalid: it overlaps faults[0] (power-loss of esp32-1 from 0 to 0.3)")]
    [InlineData("""{ "name": "r", "venue": { "lanes": [ null ] } }""", "venue.lanes[0] (missing) is invalid: give a lane object")]
    [InlineData("""{ "name": "r", "faults": [ null ] }""", "faults[0] (missing) is invalid: give a fault object")]
    [InlineData("""{ "name": "r", "expect": [ null ] }""", "expect[0] (missing) is invalid: write an outcome")]
    [InlineData("""{ "name": "r", "venue": { "lanes": [ { "kind": "agent", "scanner": "hid", "host": "process" } ] } }""", "venue.lanes[0].scanner \"hid\" is invalid: a lane in its own process")]
    [InlineData("""{ "name": "r", "faults": [ { "kind": "partition", "target": "all-lanes", "at": 0.2, "until": 0.5 }, { "kind": "drop", "target": "agent-2", "at": 0.3, "until": 0.6 } ] }""", "faults[1].at 0.3 is invalid: it overlaps faults[0]")]
    [InlineData("""{ "name": "r", "faults": [ { "kind": "hub-power-loss", "at": 0.4, "until": 0.6 }, { "kind": "hub-power-loss", "at": 0.5, "until": 1.0 } ] }""", "faults[1].at 0.5 is invalid: it overlaps faults[0] (hub-power-loss of the hub")]
    [InlineData("""{ "name": "r", "faults": [ { "kind": "partition", "target": "all-lanes", "at": 0.1, "until": 0.4 }, { "kind": "partition", "target": "agent-1", "at": 0.3, "until": 0.5 } ] }""", "faults[1].at 0.3 is invalid: it overlaps faults[0]")]
    [InlineData("""{ "name": "r", "keys": { "rotationIntervalSeconds": 30 } }""", "keys.rotationIntervalSeconds 30")]
    [InlineData("""{ "name": "r", "venue": { "lanes": [ { "kind": "esp32", "host": "vm" } ] } }""", "venue.lanes[0].host \"vm\"")]
    [InlineData("""{ "name": "r", "venue": { "lanes": [ { "kind": "agent", "host": "process", "nfc": true } ] } }""", "venue.lanes[0].nfc true")]
    [InlineData("""{ "name": "r", "venue": { "lanes": [ { "kind": "esp32", "host": "process" } ] }, "faults": [ { "kind": "clock-skew", "target": "esp32-1", "at": 0.1, "seconds": 5 } ] }""", "faults[0].target \"esp32-1\"")]
    [InlineData("""{ "name": "r", "venue": { "lanes": [ { "kind": "esp32", "host": "process" } ] }, "crowd": { "passage": { "tailgateShare": 0.1 } } }""", "crowd.passage.tailgateShare 0.1")]
    [InlineData("""{ "name": "r", "venue": { "lanes": [ { "kind": "esp32", "host": "process" } ] }, "crowd": { "badActors": { "expired": 2 } } }""", "crowd.badActors.expired 2")]
    [InlineData("""{ "name": "r", "guestList": "missing.csv" }""", "guestList \"missing.csv\"")]
    public void Load_InvalidValue_ErrorNamesFieldAndValue(string json, string expected)
    {
        string file = Write(json);

        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(file, shortForm: false, _folder));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(file, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "name": "p", "venue": { "hub": { "host": "process" } }, "faults": [ { "kind": "hub-clock-step", "at": 0.5, "seconds": 60 } ] }""", "faults[0].kind \"hub-clock-step\"")]
    [InlineData("""{ "name": "p", "venue": { "hub": { "host": "process" } }, "keys": { "rotateAt": 0.5 } }""", "keys.rotateAt 0.5")]
    [InlineData("""{ "name": "p", "venue": { "hub": { "host": "process" } }, "crowd": { "badActors": { "expired": 3 } } }""", "crowd.badActors.expired 3")]
    public void Load_ProcessHostedHubWithHubClockSetting_Rejected(string json, string expected)
    {
        string file = Write(json);

        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(file, shortForm: false, _folder));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("venue.hub.host \"process\" runs the hub on the system clock", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownHubHost_Rejected()
    {
        string file = Write("""{ "name": "h", "venue": { "hub": { "host": "container" } } }""");

        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(file, shortForm: false, _folder));

        Assert.Contains("venue.hub.host \"container\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("use simulator or process", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_HubHostMissing_HubInSimulator()
    {
        string file = Write("""{ "name": "h" }""");

        ScenarioOptions options = ScenarioLoader.Load(file, shortForm: false, _folder);

        Assert.Equal(HubHost.Simulator, options.HubHost);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Load_PowerCutAtPeak_HubInOwnProcess(bool shortForm)
    {
        ScenarioOptions options = ScenarioLoader.Load(TestPaths.Scenario("power-cut-at-peak"), shortForm, _folder);

        Assert.Equal(HubHost.Process, options.HubHost);
    }

    [Theory]
    [InlineData("camera")]
    [InlineData("serial")]
    public void Load_ProcessHostedAgent_Accepted(string scanner)
    {
        string file = Write($$"""{ "name": "r", "venue": { "lanes": [ { "kind": "agent", "scanner": "{{scanner}}", "host": "process" } ] } }""");

        ScenarioOptions options = ScenarioLoader.Load(file, shortForm: false, _folder);

        Assert.Equal(LaneHost.Process, options.ResolveLanes().Single().Host);
    }

    [Theory]
    [InlineData("""{ "kind": "agent", "host": "process" }""", """, "crowd": { "passage": { "turnBackShare": 0.1 } }""", "crowd.passage.turnBackShare")]
    [InlineData("""{ "kind": "agent", "host": "process" }""", """, "crowd": { "passage": { "tailgateShare": 0.1 } }""", "crowd.passage.tailgateShare")]
    [InlineData("""{ "kind": "agent", "host": "process" }""", """, "crowd": { "badActors": { "expired": 2 } }""", "crowd.badActors.expired")]
    [InlineData("""{ "kind": "agent", "host": "process" }""", """, "keys": { "rotationIntervalSeconds": 120, "rotateAt": 0.5 }""", "keys")]
    [InlineData("""{ "kind": "agent", "host": "process" }""", """, "faults": [ { "kind": "clock-skew", "target": "agent-1", "at": 0.1, "seconds": 60 } ]""", "faults[0].target")]
    public void Load_ProcessHostedAgent_RejectsWhatItCannotActOut(string lane, string rest, string field)
    {
        string file = Write($$"""{ "name": "r", "venue": { "lanes": [ {{lane}} ] }{{rest}} }""");

        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(file, shortForm: false, _folder).ResolveLanes());

        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PowerCutAtPeak_Esp32AsProcess()
    {
        ScenarioOptions full = ScenarioLoader.Load(TestPaths.Scenario("power-cut-at-peak"), shortForm: false, _folder);
        ScenarioOptions shortened = ScenarioLoader.Load(TestPaths.Scenario("power-cut-at-peak"), shortForm: true, _folder);

        Assert.Equal(LaneHost.Process, full.Lanes.Single(l => l.Id == "esp32-1").Host);
        Assert.Equal(LaneHost.Simulator, full.Lanes.Single(l => l.Id == "esp32-2").Host);
        Assert.Equal(LaneHost.Process, shortened.Lanes.Single(l => l.Id == "esp32-1").Host);
    }

    [Fact]
    public void LaneCountOverride_KeepsLaneHostsAndAddsLikeLast()
    {
        ScenarioOptions loaded = ScenarioLoader.Load(TestPaths.Scenario("power-cut-at-peak"), shortForm: true, _folder);

        ScenarioOptions fewer = new SimulateOverrides(null, null, 1, 1, null, null, null).Apply(loaded);
        ScenarioOptions more = new SimulateOverrides(null, null, null, 3, null, null, null).Apply(loaded);

        Assert.Equal(["agent-1", "esp32-1"], fewer.ResolveLanes().Select(l => l.Id));
        Assert.All(fewer.ResolveLanes(), l => Assert.Equal(LaneHost.Process, l.Host));
        Assert.Equal(["esp32-1", "esp32-2", "esp32-3"], more.ResolveLanes().Where(l => l.Kind == LaneKind.Esp32).Select(l => l.Id));
        Assert.All(more.ResolveLanes().Where(l => l.Kind == LaneKind.Esp32), l => Assert.Equal(LaneHost.Process, l.Host));
        Assert.Equal(loaded.Lanes.Where(l => l.Kind == LaneKind.Agent), more.ResolveLanes().Where(l => l.Kind == LaneKind.Agent));
    }

    [Theory]
    [InlineData(50, null, "--agents 50 with the scenario's 2 ESP32 lanes makes 52 lanes, which is invalid: use at most 20 lanes on one machine, so --agents 18 or fewer.")]
    [InlineData(null, 30, "--esp32 30 with the scenario's 3 agent lanes makes 33 lanes, which is invalid: use at most 20 lanes on one machine, so --esp32 17 or fewer.")]
    [InlineData(15, 15, "--agents 15 with --esp32 15 makes 30 lanes, which is invalid: use at most 20 lanes on one machine.")]
    [InlineData(0, 0, "--agents 0 with --esp32 0 leaves no lanes, which is invalid: the event needs at least one lane.")]
    public void LaneCountOverride_TooManyOrNone_NamesWhatWasGiven(int? agents, int? esp32, string expected)
    {
        string file = Write("""{ "name": "lanes", "faults": [] }""");
        ScenarioOptions loaded = ScenarioLoader.Load(file, shortForm: false, _folder);

        var error = Assert.Throws<ScenarioException>(() => new SimulateOverrides(null, null, agents, esp32, null, null, null).Apply(loaded));

        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Load_PowerCutAtPeak_PoweredOffAgentAsProcess(bool shortForm)
    {
        ScenarioOptions options = ScenarioLoader.Load(TestPaths.Scenario("power-cut-at-peak"), shortForm, _folder);

        Assert.Equal(LaneHost.Process, options.Lanes.Single(l => l.Id == "agent-1").Host);
        Assert.All(options.Lanes.Where(l => l.Kind == LaneKind.Agent && l.Id != "agent-1"), l => Assert.Equal(LaneHost.Simulator, l.Host));
        Assert.Contains(options.Faults!, f => f.Kind == FaultKind.PowerLoss && f.Target == "agent-1");
    }

    [Fact]
    public void Load_UnknownMetric_ErrorNamesOutcome()
    {
        string file = Write("""{ "name": "m", "expect": [ "lost == 0", "happyGuests >= 10" ] }""");

        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(file, shortForm: false, _folder));

        Assert.Contains("expect[1]", error.Message, StringComparison.Ordinal);
        Assert.Contains("happyGuests", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ShortFormOverWrongTypedFullForm_Rejected()
    {
        string file = Write("""
            {
              "name": "hidden-type",
              "crowd": { "walkIns": "ten" },
              "short": { "crowd": { "walkIns": 0 } }
            }
            """);

        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(file, shortForm: true, _folder));

        Assert.Contains(": crowd.walkIns \"ten\" is invalid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WrongTypeInShortSection_ErrorNamesShortPath()
    {
        string file = Write("""{ "name": "short-type", "short": { "crowd": { "arriving": "lots" } } }""");

        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(file, shortForm: true, _folder));

        Assert.Contains(": short.crowd.arriving \"lots\" is invalid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ShortFormOverOutOfRangeFullForm_Rejected()
    {
        string file = Write("""
            {
              "name": "hidden-range",
              "crowd": { "rush": { "multiplier": 0.5 } },
              "short": { "crowd": { "rush": { "multiplier": 2 } } }
            }
            """);

        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(file, shortForm: true, _folder));

        Assert.Contains("crowd.rush.multiplier 0.5", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "name": "s", "short": { "bogus": 1 } }""", "short has an unknown field \"bogus\"")]
    [InlineData("""{ "name": "s", "short": { "crowd": { "durationSeconds": -3 } } }""", "short.crowd.durationSeconds -3 is invalid")]
    [InlineData("""{ "name": "s", "short": { "crowd": { "arriving": "lots" } } }""", "short.crowd.arriving \"lots\" is invalid")]
    [InlineData("""{ "name": "s", "short": { "venue": { "lanes": [ { "kind": "esp8266" } ] } } }""", "short.venue.lanes[0].kind \"esp8266\" is invalid")]
    [InlineData("""{ "name": "s", "short": 5 }""", "short 5 is invalid: use an object")]
    [InlineData("""{ "name": "s", "faults": [ { "kind": "power-loss", "target": "esp32-2", "at": 0.1, "until": 0.2 } ], "short": { "venue": { "lanes": [ { "kind": "esp32" } ] } } }""", "in the short form, faults[0].target \"esp32-2\" is invalid")]
    public void Load_FullFormWithInvalidShortSection_Rejected(string json, string expected)
    {
        string file = Write(json);

        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(file, shortForm: false, _folder));

        Assert.Contains($"Scenario file {file}: {expected}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ArrivingGuestsCheck_MoreThanGuestList_Rejected()
    {
        string guests = Path.Combine(_folder, "guests.csv");
        File.WriteAllText(guests, GuestListGenerator.Generate(20, seed: 3));
        string file = Write("""{ "name": "a", "guestList": "guests.csv", "crowd": { "arriving": 100000 } }""");
        ScenarioOptions options = ScenarioLoader.Load(file, shortForm: false, _folder);

        var error = Assert.Throws<ScenarioException>(() => ArrivingGuestsCheck.Check(options, "crowd.arriving"));

        Assert.Contains($"crowd.arriving 100000 is invalid: the guest list {guests} has ", error.Message, StringComparison.Ordinal);
        Match size = Regex.Match(error.Message, @"has (\d+) pre-registered guests who can arrive; use 0 \(all of them\) to \1\.$");
        Assert.True(size.Success, error.Message);
        int arrivable = int.Parse(size.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(arrivable, 1, 20);
        ArrivingGuestsCheck.Check(options with { ArrivingGuests = arrivable }, "crowd.arriving");
        ArrivingGuestsCheck.Check(options with { ArrivingGuests = 0 }, "crowd.arriving");
        Assert.Throws<ScenarioException>(() => ArrivingGuestsCheck.Check(options with { ArrivingGuests = arrivable + 1 }, "crowd.arriving"));
    }

    [Fact]
    public void Load_ShortFormMissing_ErrorSaysSo()
    {
        string file = Write("""{ "name": "no-short" }""");

        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(file, shortForm: true, _folder));

        Assert.Contains("\"short\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoFaultsField_UsesDefaultOutages()
    {
        string file = Write("""{ "name": "defaults" }""");

        ScenarioOptions options = ScenarioLoader.Load(file, shortForm: false, _folder);

        Assert.Null(options.Faults);
        Assert.Null(options.Expectations);
        Assert.Equal(5, options.ResolveLanes().Count);
        Assert.Equal(["agent-1", "agent-2", "agent-3", "esp32-1", "esp32-2"], options.ResolveLanes().Select(l => l.Id));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string json)
    {
        // Guest list and policy default to the shipped ones next to the simulator's binaries.
        string file = Path.Combine(_folder, $"scenario-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, json);
        return file;
    }
}
