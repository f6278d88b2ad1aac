"""English departure detection, in stages.

``flags`` picks the sentences worth parsing; ``rules`` (one signature, see
``rules.base``) propose candidates per sentence using the argument finders
(``persons``, ``orgs``, ``roles``) and the ``vetoes``; ``sentence`` runs them over one
sentence and ``article`` chooses among the candidates of the whole article. The public
interface is ``extract.departures``.
"""
