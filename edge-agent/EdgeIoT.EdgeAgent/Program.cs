using System.CommandLine;
using EdgeIoT.EdgeAgent;
using EdgeIoT.EdgeAgent.Configuration;
using EdgeIoT.EdgeAgent.Diagnostics;
using EdgeIoT.Hardware;
using EdgeIoT.Protocol.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// Settings can follow any command as --Agent:Key=value; the parser passes them to the host.
var run = new Command("run", "Run the lane agent (the default command).") { TreatUnmatchedTokensAsErrors = false };
run.SetAction((parseResult, cancellationToken) => RunAsync(parseResult.UnmatchedTokens, cancellationToken));

var doctor = new Command(
    "doctor",
    "Check GPIO, scanner, printer, hub login and clock; exit code 1 on any failure. It logs in with the credentials "
    + "stored in Agent:DataDirectory and never enrolls, so it does not change the device's MQTT password.")
{
    TreatUnmatchedTokensAsErrors = false,
};
doctor.SetAction((parseResult, cancellationToken) => DoctorAsync(parseResult.UnmatchedTokens, cancellationToken));

var root = new RootCommand("EdgeIoT edge agent: scanners in, local decision, gate out, durable outbox.")
{
    TreatUnmatchedTokensAsErrors = false,
};
root.Add(run);
root.Add(doctor);
SettingsHelp.Use(root, "--Agent:DeviceId=lane-2", "docs/edge-agent.md");
root.SetAction((parseResult, cancellationToken) => RunAsync(parseResult.UnmatchedTokens, cancellationToken));

return await root.Parse(args).InvokeAsync(cancellationToken: CancellationToken.None);

// Settings, the endpoints file and the first enrollment are resolved before the host starts, so a
// mistake there prints one line per problem and exit code 2 instead of a failed host start.
static async Task<int> RunAsync(IReadOnlyList<string> hostArgs, CancellationToken cancellationToken)
{
    if (await RejectUnknownAsync(hostArgs))
    {
        return 2;
    }

    using IHost host = AgentApp.Build([.. hostArgs]);
    try
    {
        _ = host.Services.GetRequiredService<IOptions<AgentOptions>>().Value;
    }
    catch (OptionsValidationException exception)
    {
        foreach (string failure in exception.Failures)
        {
            await Console.Error.WriteLineAsync($"error: {failure}");
        }

        return 2;
    }
    catch (AgentConfigurationException exception)
    {
        await Console.Error.WriteLineAsync($"error: {exception.Message}");
        return 2;
    }

    await host.RunAsync(cancellationToken);
    return 0;
}

static async Task<int> DoctorAsync(IReadOnlyList<string> hostArgs, CancellationToken cancellationToken)
{
    if (await RejectUnknownAsync(hostArgs))
    {
        return 2;
    }

    using IHost host = AgentApp.Build([.. hostArgs], configureServices: services => services.AddSingleton(AgentEnrollment.Disabled));
    AgentOptions options;
    try
    {
        options = host.Services.GetRequiredService<IOptions<AgentOptions>>().Value;
    }
    catch (OptionsValidationException exception)
    {
        foreach (string failure in exception.Failures)
        {
            Console.WriteLine($"FAIL config: {failure}");
        }

        return 1;
    }
    catch (AgentConfigurationException exception)
    {
        Console.WriteLine($"FAIL config: {exception.Message}");
        return 1;
    }

    IReceiptPrinter? printer = string.IsNullOrWhiteSpace(options.Hardware.PrinterHost)
        ? null
        : host.Services.GetRequiredService<IReceiptPrinter>();
    IReadOnlyList<DoctorCheck> checks = await new Doctor(options, printer).RunAsync(cancellationToken);
    foreach (DoctorCheck check in checks)
    {
        Console.WriteLine(Doctor.Format(check));
    }

    return checks.All(check => check.Passed) ? 0 : 1;
}

// Tokens the parser does not know go to configuration when they are settings such as
// --Agent:DeviceId=lane-2. Anything else, such as --device-id or a stray word, is a mistake.
static async Task<bool> RejectUnknownAsync(IReadOnlyList<string> hostArgs)
{
    if (SettingArguments.FindUnknown(hostArgs) is not string unknown)
    {
        return false;
    }

    await Console.Error.WriteLineAsync(
        $"error: Unrecognized option or argument '{unknown}'. Give settings as --Agent:Key=value, such as "
        + "--Agent:DeviceId=lane-2 (docs/edge-agent.md); --help lists the commands.");
    return true;
}
