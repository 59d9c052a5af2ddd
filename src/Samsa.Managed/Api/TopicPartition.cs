namespace Samsa;

/// <summary>A topic and one of its partitions.</summary>
public readonly record struct TopicPartition(string Topic, int Partition)
{
    public override string ToString() => $"{Topic} [{Partition}]";
}
