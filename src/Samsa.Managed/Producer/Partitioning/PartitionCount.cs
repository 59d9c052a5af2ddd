using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Samsa.Producer.Partitioning;

/// <summary>The argument check every built-in partitioner makes; the throw lives out of line so calls stay small.</summary>
internal static class PartitionCount
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Validate(int partitionCount)
    {
        if (partitionCount <= 0)
        {
            ThrowNotPositive(partitionCount);
        }
    }

    [DoesNotReturn]
    private static void ThrowNotPositive(int partitionCount) =>
        throw new KafkaException(
            ErrorCode.LocalInvalidArg,
            string.Create(CultureInfo.InvariantCulture, $"partition count must be at least 1, got {partitionCount}"));
}
