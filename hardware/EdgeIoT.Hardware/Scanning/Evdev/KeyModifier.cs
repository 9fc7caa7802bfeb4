namespace EdgeIoT.Hardware;

/// <summary>Modifier held while a key is pressed; caps lock is folded into <see cref="Shift"/> for letters.</summary>
public enum KeyModifier
{
    None,
    Shift,
    AltGraph,
}
