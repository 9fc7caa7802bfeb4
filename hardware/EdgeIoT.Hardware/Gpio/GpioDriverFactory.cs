using System.Device.Gpio;
using System.Device.Gpio.Drivers;

namespace EdgeIoT.Hardware;

/// <summary>Creates the libgpiod driver that matches the installed library, for the chip found by label.</summary>
public static class GpioDriverFactory
{
    /// <summary>
    /// Creates a driver for the chip labelled <paramref name="chipLabel"/> (or
    /// <see cref="GpioChips.AutoLabel"/>). System.Device.Gpio's default driver loads only
    /// libgpiod.so.2, so a board with just libgpiod.so.3 (Raspberry Pi OS trixie) gets
    /// <see cref="LibGpiodV2Driver"/> here.
    /// </summary>
    public static GpioDriver Create(string chipLabel)
    {
        LibGpiodLibrary library = GpioChips.DetectLibrary(GpioChips.LibraryFolders);
        GpioChipInfo chip = GpioChips.FindByLabel(GpioChips.List(), chipLabel);
        return Create(library, chip.Number);
    }

    /// <summary>Creates the driver for <paramref name="library"/> on chip <paramref name="chipNumber"/>.</summary>
    public static GpioDriver Create(LibGpiodLibrary library, int chipNumber) => library switch
    {
        LibGpiodLibrary.V2 => new LibGpiodV2Driver(chipNumber),
        LibGpiodLibrary.V1 => new LibGpiodDriver(chipNumber),
        _ => throw new InvalidOperationException(
            "libgpiod is not installed (neither libgpiod.so.3 nor libgpiod.so.2 was found): "
            + "install libgpiod3 (Debian 13, Raspberry Pi OS trixie) or libgpiod2 (Debian 12)."),
    };
}
