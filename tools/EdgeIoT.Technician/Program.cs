using System.CommandLine;
using EdgeIoT.Technician.Commands;

var root = new RootCommand("EdgeIoT technician CLI: enroll, flash, deploy and verify ESP32 turnstile controllers.")
{
    EnrollCommand.Create(),
    FlashCommands.CreateFlash(),
    FlashCommands.CreateDeploy(),
    VerifyCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
