namespace Samsa;

/// <summary>
/// partition.assignment.strategy: a comma-separated list of assignors in order of preference, each by its
/// librdkafka name or its Java class name.
/// </summary>
internal sealed class AssignorListValue(EnumValue<PartitionAssignmentStrategy> element)
    : ConfigValue<IReadOnlyList<PartitionAssignmentStrategy>>
{
    public override string Allowed => $"a comma-separated list of distinct assignors, each {element.Allowed}";

    public override bool TryParse(string text, out IReadOnlyList<PartitionAssignmentStrategy> value, out string? reason)
    {
        value = [];
        var list = new List<PartitionAssignmentStrategy>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!element.TryParse(part, out PartitionAssignmentStrategy strategy, out reason))
            {
                reason ??= $"'{part}' is not an assignor: expected {element.Allowed}";
                return false;
            }

            list.Add(strategy);
        }

        reason = Check(list);
        if (reason is not null)
        {
            return false;
        }

        value = list.ToArray();
        return true;
    }

    public override string? Format(IReadOnlyList<PartitionAssignmentStrategy> value)
    {
        if (value is null)
        {
            return null; // set to null through the typed property; Check reports it
        }

        var names = new string[value.Count];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = element.Format(value[i]);
        }

        return string.Join(",", names);
    }

    public override string? Check(IReadOnlyList<PartitionAssignmentStrategy> value)
    {
        if (value is null || value.Count == 0)
        {
            return "at least one assignor is required";
        }

        for (int i = 0; i < value.Count; i++)
        {
            if (element.Check(value[i]) is { } bad)
            {
                return bad;
            }

            for (int j = 0; j < i; j++)
            {
                if (value[j] == value[i])
                {
                    return $"'{element.Format(value[i])}' is listed twice";
                }
            }
        }

        return null;
    }
}
