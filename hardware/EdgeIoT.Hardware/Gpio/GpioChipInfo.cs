namespace EdgeIoT.Hardware;

/// <summary>A GPIO character device (/dev/gpiochipN) with the name and label its kernel driver reports.</summary>
public sealed record GpioChipInfo(int Number, string Name, string Label, int LineCount)
{
    public string DevicePath => $"/dev/gpiochip{Number}";
}
