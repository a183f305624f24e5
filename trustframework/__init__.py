"""HelseID tokens, the tillitsrammeverk attest, the source's access policy and the audit."""
