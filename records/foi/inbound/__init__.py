"""Incoming e-mail, in three steps as Froide does it:

1. ``parsing``: the raw bytes become a ``ParsedMail`` (headers, the text as shown, the
   files, and the parts that could not be kept, each with its reason). Containers are
   opened here (``containers``: TNEF ``winmail.dat``, uuencoded blocks, ZIP archives,
   attached mails, RTF) and text is decoded whatever its charset claims (``text``).
2. ``classification``: whether the message is a letter, a bounce of one of ours, or an
   automatic reply.
3. ``delivery``: the raw bytes are kept first, then the message is delivered to its
   request or held for editors, with what it is.
"""
