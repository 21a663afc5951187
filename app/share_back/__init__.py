"""The share-back meeting (terugkoppelbijeenkomst): the member check of the findings, live."""
