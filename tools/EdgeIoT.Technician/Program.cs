using System.CommandLine;
using EdgeIoT.Technician.Commands;

var root = new RootCommand("EdgeIoT technician CLI: enroll, flash, deploy and verify ESP32 turnstile controllers.")
{
    EnrollCommand.Create(),
    FlashCommands.CreateFlash(),
    FlashCommands.CreateDeploy(),
    VerifyCommand.Create(),
};

// A parse error is a missing or invalid option, so it prints one line per error and exits with code 2, without the help text.
ParseResult parseResult = root.Parse(args);
if (parseResult.Errors.Count > 0)
{
    foreach (System.CommandLine.Parsing.ParseError error in parseResult.Errors)
    {
        // System.CommandLine lists allowed values on indented lines, which are joined into the one error line.
        await Console.Error.WriteLineAsync($"error: {error.Message.ReplaceLineEndings(" ").Replace("\t", string.Empty, StringComparison.Ordinal)}");
    }

    return CommandRunner.InvalidInput;
}

return await parseResult.InvokeAsync();
