using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace EdgeIoT.Hardware;

/// <summary>
/// Finds the GPIO chip and libgpiod version of a board, so a Raspberry Pi 5 (chip "pinctrl-rp1",
/// whose number changed between kernels) and a Pi 4 ("pinctrl-bcm2711") both work with one
/// configuration and no hard-coded chip number.
/// </summary>
public static partial class GpioChips
{
    /// <summary>Label for <see cref="FindByLabel"/> that tries <see cref="RaspberryPiLabels"/> in order.</summary>
    public const string AutoLabel = "auto";

    /// <summary>GPIO_GET_CHIPINFO_IOCTL = _IOR(0xB4, 0x01, struct gpiochip_info) from linux/gpio.h.</summary>
    public const uint ChipInfoRequest = 0x8044B401;

    /// <summary>struct gpiochip_info: char name[32], char label[32], __u32 lines.</summary>
    public const int ChipInfoSize = 68;

    /// <summary>Header GPIO controllers of the Raspberry Pi 5, 4 and 3 (and Zero 2), newest first.</summary>
    public static readonly IReadOnlyList<string> RaspberryPiLabels = ["pinctrl-rp1", "pinctrl-bcm2711", "pinctrl-bcm2835"];

    /// <summary>Folders searched for libgpiod, as the dynamic loader on Debian and Raspberry Pi OS would.</summary>
    public static readonly IReadOnlyList<string> LibraryFolders =
    [
        "/usr/lib/aarch64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/arm-linux-gnueabihf",
        "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/local/lib", "/usr/lib", "/lib",
    ];

    /// <summary>Returns the newest libgpiod found in <paramref name="folders"/>: libgpiod.so.3 wins over libgpiod.so.2.</summary>
    public static LibGpiodLibrary DetectLibrary(IEnumerable<string> folders)
    {
        ArgumentNullException.ThrowIfNull(folders);

        string[] searched = [.. folders];
        if (searched.Any(folder => File.Exists(Path.Combine(folder, "libgpiod.so.3"))))
        {
            return LibGpiodLibrary.V2;
        }

        return searched.Any(folder => File.Exists(Path.Combine(folder, "libgpiod.so.2")))
            ? LibGpiodLibrary.V1
            : LibGpiodLibrary.None;
    }

    /// <summary>
    /// Returns the chip whose label is <paramref name="label"/>, or with <see cref="AutoLabel"/>
    /// the first chip carrying one of <see cref="RaspberryPiLabels"/>. Throws naming the labels present.
    /// </summary>
    public static GpioChipInfo FindByLabel(IReadOnlyList<GpioChipInfo> chips, string label)
    {
        ArgumentNullException.ThrowIfNull(chips);
        ArgumentException.ThrowIfNullOrWhiteSpace(label);

        IEnumerable<string> wanted = string.Equals(label, AutoLabel, StringComparison.OrdinalIgnoreCase)
            ? RaspberryPiLabels
            : [label];
        foreach (string candidate in wanted)
        {
            GpioChipInfo? chip = chips.FirstOrDefault(chip => string.Equals(chip.Label, candidate, StringComparison.Ordinal));
            if (chip is not null)
            {
                return chip;
            }
        }

        string present = chips.Count == 0 ? "none" : string.Join(", ", chips.Select(chip => $"{chip.Name} '{chip.Label}'"));
        throw new InvalidOperationException(
            $"No GPIO chip labelled '{label}' was found (chips present: {present}). "
            + "Set Agent:Hardware:GpioChipLabel to one of the labels present, as 'gpiodetect' lists them.");
    }

    /// <summary>Lists the /dev/gpiochipN devices in <paramref name="deviceFolder"/> with their kernel labels.</summary>
    public static IReadOnlyList<GpioChipInfo> List(string deviceFolder = "/dev")
    {
        var chips = new List<GpioChipInfo>();
        if (!Directory.Exists(deviceFolder))
        {
            return chips;
        }

        foreach (string path in Directory.EnumerateFiles(deviceFolder, "gpiochip*").Order(StringComparer.Ordinal))
        {
            if (int.TryParse(Path.GetFileName(path).AsSpan("gpiochip".Length), out int number)
                && TryReadInfo(path, number, out GpioChipInfo? chip))
            {
                chips.Add(chip);
            }
        }

        return chips;
    }

    /// <summary>Decodes a struct gpiochip_info returned by GPIO_GET_CHIPINFO_IOCTL.</summary>
    public static GpioChipInfo ParseInfo(int number, ReadOnlySpan<byte> info)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(info.Length, ChipInfoSize);

        return new GpioChipInfo(
            number,
            CString(info[..32]),
            CString(info[32..64]),
            (int)BinaryPrimitives.ReadUInt32LittleEndian(info[64..]));
    }

    private static bool TryReadInfo(string path, int number, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GpioChipInfo? chip)
    {
        chip = null;
        try
        {
            using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            byte[] info = new byte[ChipInfoSize];
            if (IoControl(handle, ChipInfoRequest, info) != 0)
            {
                return false;
            }

            chip = ParseInfo(number, info);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A chip this user may not open is skipped; doctor reports the permission problem.
            return false;
        }
    }

    private static string CString(ReadOnlySpan<byte> bytes)
    {
        int end = bytes.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? bytes : bytes[..end]);
    }

    [LibraryImport("libc.so.6", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int IoControl(SafeFileHandle descriptor, nuint request, [Out] byte[] info);
}
