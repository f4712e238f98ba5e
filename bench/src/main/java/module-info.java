/** JMH and end-to-end benchmarks of loes4j against its peers. */
module org.loes4j.bench {
    requires org.loes4j.linalg;
}
