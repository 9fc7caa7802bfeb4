using System.Device.Gpio;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeIoT.Hardware;

/// <summary>
/// Registers the real drivers with their options bound from configuration. The GPIO drivers
/// share one <see cref="GpioController"/>. A controller registered first (for example over a
/// simulated driver) is used instead of the board's default controller.
/// </summary>
public static class HardwareServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IGate"/> as a <see cref="GpioGate"/> bound to
    /// <paramref name="section"/> ("Gate").
    /// </summary>
    public static IServiceCollection AddGpioGate(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);

        services.AddOptions<GpioGateOptions>().Bind(section);
        services.TryAddSingleton(_ => new GpioController());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IGate>(provider => new GpioGate(
            provider.GetRequiredService<GpioController>(),
            provider.GetRequiredService<IOptions<GpioGateOptions>>().Value,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<ILogger<GpioGate>>()));
        return services;
    }

    /// <summary>
    /// Registers <see cref="IIndicator"/> as a <see cref="GpioIndicator"/> bound to
    /// <paramref name="section"/> ("Indicator").
    /// </summary>
    public static IServiceCollection AddGpioIndicator(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);

        services.AddOptions<GpioIndicatorOptions>().Bind(section);
        services.TryAddSingleton(_ => new GpioController());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IIndicator>(provider => new GpioIndicator(
            provider.GetRequiredService<GpioController>(),
            provider.GetRequiredService<IOptions<GpioIndicatorOptions>>().Value,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<ILogger<GpioIndicator>>()));
        return services;
    }

    /// <summary>
    /// Registers <see cref="IReceiptPrinter"/> as a TCP <see cref="EscPosPrinter"/> bound to
    /// <paramref name="section"/> ("Printer").
    /// </summary>
    public static IServiceCollection AddEscPosPrinter(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);

        services.AddOptions<EscPosPrinterOptions>().Bind(section);
        services.AddSingleton<IReceiptPrinter>(provider => EscPosPrinter.ForTcp(
            provider.GetRequiredService<IOptions<EscPosPrinterOptions>>().Value,
            provider.GetService<ILogger<EscPosPrinter>>()));
        return services;
    }

    /// <summary>
    /// Adds one <see cref="IScanner"/> reached over TCP, bound to <paramref name="section"/>
    /// (for example "Scanners:Qr"). Call once per scanner and resolve all of them with
    /// IEnumerable&lt;IScanner&gt;.
    /// </summary>
    public static IServiceCollection AddTcpLineScanner(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);

        var options = section.Get<TcpLineScannerOptions>() ?? new TcpLineScannerOptions();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IScanner>(provider => new TcpLineScanner(
            options,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<ILogger<TcpLineScanner>>()));
        return services;
    }

    /// <summary>
    /// Adds one <see cref="IScanner"/> on a serial port, bound to <paramref name="section"/>
    /// (for example "Scanners:Serial"). Call once per scanner.
    /// </summary>
    public static IServiceCollection AddSerialLineScanner(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);

        var options = section.Get<SerialLineScannerOptions>() ?? new SerialLineScannerOptions();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IScanner>(provider => new SerialLineScanner(
            options,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<ILogger<SerialLineScanner>>()));
        return services;
    }
}
