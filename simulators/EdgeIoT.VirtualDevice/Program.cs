using System.CommandLine;
using EdgeIoT.VirtualDevice;
using Microsoft.Extensions.Logging;

var root = new RootCommand("Virtual ESP32 turnstile controller running the EdgeIoT firmware core.")
{
    CommandLineOptions.Bundle, CommandLineOptions.HubEndpoints, CommandLineOptions.EnrollUrl, CommandLineOptions.DeviceId,
    CommandLineOptions.Zone, CommandLineOptions.Venue, CommandLineOptions.EventId, CommandLineOptions.MqttHost,
    CommandLineOptions.MqttPort, CommandLineOptions.MqttTlsCa, CommandLineOptions.Username, CommandLineOptions.Password, CommandLineOptions.RootPublicKey,
    CommandLineOptions.FlashFile, CommandLineOptions.ClockSkew, CommandLineOptions.ScanPort, CommandLineOptions.Inbox,
    CommandLineOptions.OutboxWindow,
};

root.SetAction(async (parseResult, cancellationToken) =>
{
    using ILoggerFactory loggers = LoggerFactory.Create(builder => builder.AddSimpleConsole(o => o.SingleLine = true));
    ILogger logger = loggers.CreateLogger("EdgeIoT.VirtualDevice");
    int window = parseResult.GetValue(CommandLineOptions.OutboxWindow);
    if (window is < 1 or > 64)
    {
        await Console.Error.WriteLineAsync($"--outbox-window {window} is invalid: use 1 to 64 publishes in flight.");
        return 2;
    }

    VirtualEsp32Options? options = parseResult.GetValue(CommandLineOptions.Bundle) is FileInfo bundle
        ? await DeviceOptions.FromBundleAsync(bundle, parseResult, Console.Error, cancellationToken)
        : await DeviceOptions.FromArgumentsAsync(parseResult, Console.Error, cancellationToken);
    if (options is null)
    {
        return 2;
    }

    await using VirtualEsp32 device = await VirtualEsp32.StartAsync(options, loggers, cancellationToken);
    await using var scanner = new ScanLineListener(
        parseResult.GetValue(CommandLineOptions.ScanPort), parseResult.GetValue(CommandLineOptions.Inbox)?.FullName,
        device.SubmitScanLine, logger);
    scanner.Start();
    try
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }
    catch (OperationCanceledException)
    {
        logger.LogInformation("Device {DeviceId} stopping with {QueueDepth} queued events", options.DeviceId, device.QueueDepth);
    }

    return 0;
});

return await root.Parse(args).InvokeAsync();
