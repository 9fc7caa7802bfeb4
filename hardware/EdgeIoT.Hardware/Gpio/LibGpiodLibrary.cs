namespace EdgeIoT.Hardware;

/// <summary>Which libgpiod shared library is installed, which decides the System.Device.Gpio driver.</summary>
public enum LibGpiodLibrary
{
    None,

    /// <summary>libgpiod.so.2 (libgpiod 1.x, v1 API): <c>LibGpiodDriver</c>. Debian 12, Raspberry Pi OS bookworm.</summary>
    V1,

    /// <summary>libgpiod.so.3 (libgpiod 2.x, v2 API): <c>LibGpiodV2Driver</c>. Debian 13, Raspberry Pi OS trixie.</summary>
    V2,
}
