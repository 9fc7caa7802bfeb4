using System.CommandLine;
using System.Globalization;
using EdgeIoT.LoadBench;

var gatesOption = new Option<int>("--gates") { Description = "Simulated gates, one MQTT client each.", DefaultValueFactory = _ => 50 };
var rateOption = new Option<int>("--base-rate")
{
    Description = "Check-ins per second over all gates in the normal phase; the rush offers this times --rush-factor.",
    DefaultValueFactory = _ => 1000,
};
var rushOption = new Option<int>("--rush-factor") { Description = "Rush rate as a multiple of the base rate.", DefaultValueFactory = _ => 10 };
var secondsOption = new Option<double>("--phase-seconds") { Description = "Length of the normal and of the rush phase, in seconds.", DefaultValueFactory = _ => 5 };
var roundsOption = new Option<int>("--rounds") { Description = "Rounds of baseline then hub; medians are taken over the rounds.", DefaultValueFactory = _ => 3 };
var targetOption = new Option<string>("--target") { Description = "both, hub or mosquitto.", DefaultValueFactory = _ => "both" };
targetOption.AcceptOnlyFromAmong("both", "hub", "mosquitto");
var hubProcessOption = new Option<bool>("--hub-process")
{
    Description = "Run the hub as its own process (the hub CLI's run command) instead of inside the load generator, "
        + "so the two do not share CPU time and garbage collection; the report adds the hub's CPU time.",
};

var root = new RootCommand(
    "Load benchmark: simulated gates publish QoS 1 check-in events to the hub (SQLite commit before PUBACK) and to "
    + "a Mosquitto-only forwarding baseline in the same run, and print throughput, publish-to-PUBACK latency and the ratio.")
{
    gatesOption, rateOption, rushOption, secondsOption, roundsOption, targetOption, hubProcessOption,
};
root.SetAction(async (parseResult, cancellationToken) =>
{
    var profile = new LoadProfile
    {
        Gates = parseResult.GetValue(gatesOption),
        BaseRate = parseResult.GetValue(rateOption),
        RushFactor = parseResult.GetValue(rushOption),
        PhaseDuration = TimeSpan.FromSeconds(parseResult.GetValue(secondsOption)),
    };
    int rounds = parseResult.GetValue(roundsOption);
    string target = parseResult.GetValue(targetOption)!;
    bool hubProcess = parseResult.GetValue(hubProcessOption);
    string? problem = profile.Gates < 1 ? $"--gates {profile.Gates} is invalid: use at least 1."
        : profile.BaseRate < 1 ? $"--base-rate {profile.BaseRate} is invalid: use at least 1."
        : profile.RushFactor < 1 ? $"--rush-factor {profile.RushFactor} is invalid: use at least 1."
        : profile.PhaseDuration <= TimeSpan.Zero ? "--phase-seconds must be positive."
        : rounds < 1 ? $"--rounds {rounds} is invalid: use at least 1." : null;
    if (problem is not null)
    {
        await Console.Error.WriteLineAsync($"error: {problem}");
        return 2;
    }

    // Checked before the first round, so a missing broker is one line, not a trace after the hub's rounds.
    if (target is "both" or "mosquitto" && MosquittoProcess.ExecutablePath is null)
    {
        await Console.Error.WriteLineAsync(
            $"error: --target {target} needs the Mosquitto baseline, but mosquitto is not installed; {MosquittoProcess.InstallHint}, "
            + "or pass --target hub.");
        return 2;
    }

    ThreadPool.SetMinThreads(Math.Max(16, profile.Gates), 16);
    var reports = new List<TargetReport>();
    for (int round = 1; round <= rounds; round++)
    {
        void Progress(string step) => Console.Error.WriteLine($"[round {round}/{rounds}] {step}");
        if (target is "both" or "mosquitto")
        {
            reports.Add(await LoadRun.RunMosquittoAsync(profile, Progress));
        }

        if (target is "both" or "hub")
        {
            reports.Add(await LoadRun.RunHubAsync(profile, Progress, hubProcess));
        }
    }

    ReportPrinter.Print(Console.Out, profile, rounds, reports);
    return reports.All(report => report.NoAcknowledgedEventLost) ? 0 : 1;
});

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
ParseResult parseResult = root.Parse(args);
if (parseResult.Errors.Count > 0)
{
    foreach (System.CommandLine.Parsing.ParseError error in parseResult.Errors)
    {
        // System.CommandLine lists allowed values on indented lines, which are joined into the one error line.
        await Console.Error.WriteLineAsync($"error: {error.Message.ReplaceLineEndings(" ").Replace("\t", string.Empty, StringComparison.Ordinal)}");
    }

    return 2;
}

return await parseResult.InvokeAsync();
