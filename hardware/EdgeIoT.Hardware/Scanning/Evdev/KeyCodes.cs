namespace EdgeIoT.Hardware;

/// <summary>Linux key codes (linux/input-event-codes.h) that the keystroke decoder treats specially.</summary>
public static class KeyCodes
{
    public const ushort Enter = 28;
    public const ushort LeftShift = 42;
    public const ushort RightShift = 54;
    public const ushort CapsLock = 58;
    public const ushort KeypadEnter = 96;
    public const ushort RightAlt = 100;
}
