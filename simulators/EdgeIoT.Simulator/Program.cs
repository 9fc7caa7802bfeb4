using System.CommandLine;
using EdgeIoT.Simulator.Commands;

ParseResult parsed = SimulatorCommands.Build().Parse(args);

// Exit code 1 means an expected outcome failed, so a pipeline must be able to tell a typo
// on the command line from a failed event: invalid input exits 2.
if (parsed.Errors.Count > 0)
{
    foreach (System.CommandLine.Parsing.ParseError error in parsed.Errors)
    {
        Console.Error.WriteLine(error.Message);
    }

    Console.Error.WriteLine("Run with --help for the options.");
    return 2;
}

// Ctrl-C or SIGTERM cancels the run, which then stops the lanes, hub and ledger and lets the
// agents flush their outboxes. That takes longer than the parser's default 2 s wait, after
// which it would end the process mid-shutdown, so the simulator handles both signals itself.
using IDisposable signals = TerminationSignal.Handle(gracePeriod: TimeSpan.FromSeconds(60));
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
