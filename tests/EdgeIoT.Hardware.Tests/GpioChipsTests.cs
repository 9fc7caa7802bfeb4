using System.Text;

namespace EdgeIoT.Hardware.Tests;

public sealed class GpioChipsTests : IDisposable
{
    private static readonly GpioChipInfo[] RaspberryPi5 =
    [
        new(0, "gpiochip0", "gpio-brcmstb@107d508500", 32),
        new(1, "gpiochip1", "gpio-brcmstb@107d508520", 4),
        new(4, "gpiochip4", "pinctrl-rp1", 54),
    ];

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("edgeiot-gpio-");

    [Fact]
    public void DetectLibrary_OnlySoThree_PicksV2Driver()
    {
        File.WriteAllBytes(Path.Combine(_folder.FullName, "libgpiod.so.3"), []);

        Assert.Equal(LibGpiodLibrary.V2, GpioChips.DetectLibrary([_folder.FullName]));
    }

    [Fact]
    public void DetectLibrary_OnlySoTwo_PicksV1Driver()
    {
        File.WriteAllBytes(Path.Combine(_folder.FullName, "libgpiod.so.2"), []);

        Assert.Equal(LibGpiodLibrary.V1, GpioChips.DetectLibrary(["/nonexistent", _folder.FullName]));
    }

    [Fact]
    public void DetectLibrary_BothInstalled_PrefersSoThree()
    {
        File.WriteAllBytes(Path.Combine(_folder.FullName, "libgpiod.so.2"), []);
        File.WriteAllBytes(Path.Combine(_folder.FullName, "libgpiod.so.3"), []);

        Assert.Equal(LibGpiodLibrary.V2, GpioChips.DetectLibrary([_folder.FullName]));
    }

    [Fact]
    public void DriverFactory_NoLibrary_ErrorNamesPackages()
    {
        var error = Assert.Throws<InvalidOperationException>(() => GpioDriverFactory.Create(LibGpiodLibrary.None, 0));

        Assert.Contains("libgpiod3", error.Message, StringComparison.Ordinal);
        Assert.Contains("libgpiod2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FindByLabel_AutoOnPi5_FindsRp1WhateverItsNumber()
    {
        GpioChipInfo chip = GpioChips.FindByLabel(RaspberryPi5, GpioChips.AutoLabel);

        Assert.Equal(4, chip.Number);
        Assert.Equal("/dev/gpiochip4", chip.DevicePath);
    }

    [Fact]
    public void FindByLabel_ExplicitLabel_FindsThatChip()
    {
        GpioChipInfo chip = GpioChips.FindByLabel(RaspberryPi5, "gpio-brcmstb@107d508520");

        Assert.Equal(1, chip.Number);
    }

    [Fact]
    public void FindByLabel_Missing_ErrorListsLabelsPresent()
    {
        var error = Assert.Throws<InvalidOperationException>(() => GpioChips.FindByLabel(RaspberryPi5, "pinctrl-bcm2711"));

        Assert.Contains("'pinctrl-bcm2711'", error.Message, StringComparison.Ordinal);
        Assert.Contains("gpiochip4 'pinctrl-rp1'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseInfo_KernelStruct_ReadsNameLabelAndLines()
    {
        byte[] info = new byte[GpioChips.ChipInfoSize];
        Encoding.ASCII.GetBytes("gpiochip4").CopyTo(info, 0); // name[32], NUL-padded
        Encoding.ASCII.GetBytes("pinctrl-rp1").CopyTo(info, 32); // label[32], NUL-padded
        info[64] = 54; // lines, little-endian __u32

        GpioChipInfo chip = GpioChips.ParseInfo(4, info);

        Assert.Equal(new GpioChipInfo(4, "gpiochip4", "pinctrl-rp1", 54), chip);
    }

    [Fact]
    public void List_FileThatIsNoGpioChip_IsSkipped()
    {
        File.WriteAllBytes(Path.Combine(_folder.FullName, "gpiochip0"), [1, 2, 3]);

        Assert.Empty(GpioChips.List(_folder.FullName));
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
