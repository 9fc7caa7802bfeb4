using System.CommandLine;
using EdgeIoT.EdgeAgent;
using EdgeIoT.EdgeAgent.Configuration;
using EdgeIoT.EdgeAgent.Diagnostics;
using EdgeIoT.Hardware;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// Settings can follow any command as --Agent:Key=value; the parser passes them to the host.
var run = new Command("run", "Run the lane agent (the default command).") { TreatUnmatchedTokensAsErrors = false };
run.SetAction((parseResult, cancellationToken) => RunAsync(parseResult.UnmatchedTokens, cancellationToken));

var doctor = new Command("doctor", "Check GPIO, scanner, printer, hub login and clock; exit code 1 on any failure.")
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
root.SetAction((parseResult, cancellationToken) => RunAsync(parseResult.UnmatchedTokens, cancellationToken));

return await root.Parse(args).InvokeAsync(cancellationToken: CancellationToken.None);

static async Task<int> RunAsync(IReadOnlyList<string> hostArgs, CancellationToken cancellationToken)
{
    using IHost host = AgentApp.Build([.. hostArgs]);
    await host.RunAsync(cancellationToken);
    return 0;
}

static async Task<int> DoctorAsync(IReadOnlyList<string> hostArgs, CancellationToken cancellationToken)
{
    using IHost host = AgentApp.Build([.. hostArgs]);
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
