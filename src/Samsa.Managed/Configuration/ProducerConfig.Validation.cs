using System.Globalization;
using Samsa.Compression;

namespace Samsa;

/// <summary>The producer's rules between properties.</summary>
public sealed partial record ProducerConfig
{
    private const int IdempotentMaxInFlight = 5;

    /// <inheritdoc/>
    public override ProducerConfig Validate()
    {
        var warnings = new List<string>(Warnings);
        ValidateCommon(warnings);

        if (TransactionalId is not null)
        {
            throw ConfigErrors.Rule(
                "transactional.id",
                TransactionalId,
                "transactional.id is set, but Samsa does not support transactions; remove it (the idempotent producer still writes each record once and in order per partition, despite retries).");
        }

        ProducerConfig effective = ValidateIdempotence(warnings, out string? conflicts);
        if (EnableGaplessGuarantee && !effective.EnableIdempotence)
        {
            string why = conflicts is null ? string.Empty : $" (idempotence is off because {conflicts} was set)";
            throw ConfigErrors.Rule(
                "enable.gapless.guarantee",
                "true",
                $"enable.gapless.guarantee=true requires enable.idempotence=true{why}.");
        }

        ValidateCompressionLevel(warnings);

        if (DeliveryTimeout != TimeSpan.Zero && DeliveryTimeout <= Linger)
        {
            throw ConfigErrors.Rule(
                "delivery.timeout.ms",
                Shown("delivery.timeout.ms"),
                $"delivery.timeout.ms ({Shown("delivery.timeout.ms")}) must be greater than linger.ms ({Shown("linger.ms")}), or 0 for no limit.");
        }

        return effective with { Warnings = warnings.ToArray() };
    }

    /// <summary>
    /// Idempotence needs acks=all, max.in.flight ≤ 5 and retries ≥ 1. Set explicitly, a conflict is an error; left
    /// at its default, the conflict turns it off (as the Java client does), with a warning.
    /// </summary>
    private ProducerConfig ValidateIdempotence(List<string> warnings, out string? conflicts)
    {
        conflicts = null;
        if (!EnableIdempotence)
        {
            return this;
        }

        var found = new List<string>();
        if (Acks != Acks.All)
        {
            found.Add($"acks={Shown("acks")}");
        }

        if (MaxInFlight > IdempotentMaxInFlight)
        {
            found.Add($"max.in.flight.requests.per.connection={Shown("max.in.flight.requests.per.connection")}");
        }

        if (Retries < 1)
        {
            found.Add($"retries={Shown("retries")}");
        }

        if (found.Count == 0)
        {
            return this;
        }

        conflicts = string.Join(" and ", found);
        const string Needs = "acks=all, max.in.flight.requests.per.connection <= 5 and retries >= 1";
        if (EnableIdempotenceIsSet)
        {
            throw ConfigErrors.Rule(
                "enable.idempotence",
                "true",
                $"enable.idempotence=true requires {Needs}, but {conflicts} was set.");
        }

        AddWarning(
            warnings,
            $"Idempotence is disabled because {conflicts} was set: enable.idempotence defaults to true and requires {Needs}. Set enable.idempotence=false to silence this warning.");
        return this with { EnableIdempotence = false };
    }

    private void ValidateCompressionLevel(List<string> warnings)
    {
        if (CompressionLevel == -1)
        {
            return;
        }

        (int min, int max) = CompressionType switch
        {
            CompressionType.Gzip => (0, 9),
            CompressionType.Lz4 => (0, 12),
            CompressionType.Zstd => (1, 22),
            CompressionType.Snappy => (0, 0),
            _ => (int.MinValue, int.MaxValue),
        };

        if (CompressionType == CompressionType.None)
        {
            AddWarning(warnings, "compression.level is set but compression.type=none; ignored.");
            return;
        }

        if (CompressionLevel < min || CompressionLevel > max)
        {
            string level = CompressionLevel.ToString(CultureInfo.InvariantCulture);
            string range = min == max ? $"{min}" : $"{min}..{max}";
            throw ConfigErrors.Rule(
                "compression.level",
                level,
                $"compression.level={level} is out of range for compression.type={Shown("compression.type")}: expected -1 (the codec's default) or {range}.");
        }
    }
}
