namespace Samsa.HeaderGenerator;

/// <summary>The error code constants: every <see cref="ErrorCode"/>, named SAMSA_ERR_ + its Kafka/librdkafka name without the local underscore.</summary>
internal static class ErrorCodeTable
{
    public static IReadOnlyList<ConstantDecl> Build()
    {
        var list = new List<ConstantDecl>();
        foreach (ErrorCode code in Enum.GetValues<ErrorCode>())
        {
            string name = "SAMSA_ERR_" + code.Name().TrimStart('_');
            string origin = (int)code < -1 ? "Local" : "Kafka";
            string summary = code.Describe();
            list.Add(new ConstantDecl(name, (int)code, summary.StartsWith(origin, StringComparison.Ordinal) || code == ErrorCode.None ? summary : $"{origin}: {summary}"));
        }

        return list;
    }
}
