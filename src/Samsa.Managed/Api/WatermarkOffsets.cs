namespace Samsa;

/// <summary>
/// A partition's low watermark (its first offset, the log start offset) and high watermark (the offset the next
/// record will get). <see cref="Offset.Unset"/> where unknown.
/// </summary>
public readonly record struct WatermarkOffsets(Offset Low, Offset High)
{
    public override string ToString() => $"[{Low}, {High})";
}
