package org.imsmooth.state;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Two databases: the service's own state ({@code spring.datasource}, primary: Flyway, id map,
 * idempotency) and the old system ({@code oldsystem.datasource}, read for import, written by sync).
 * Declaring the second one switches off Boot's single-DataSource default, so both are declared here.
 */
@Configuration(proxyBeanMethods = false)
public class DataSourcesConfiguration {

    @Bean
    @Primary
    @ConfigurationProperties("spring.datasource")
    DataSourceProperties stateDataSourceProperties() {
        return new DataSourceProperties();
    }

    @Bean
    @Primary
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(@Qualifier("stateDataSourceProperties") DataSourceProperties properties) {
        HikariDataSource ds = properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        ds.setPoolName("state");
        return ds;
    }

    @Bean
    @ConfigurationProperties("oldsystem.datasource")
    DataSourceProperties oldSystemDataSourceProperties() {
        return new DataSourceProperties();
    }

    @Bean
    @ConfigurationProperties("oldsystem.datasource.hikari")
    HikariDataSource oldSystemDataSource(@Qualifier("oldSystemDataSourceProperties") DataSourceProperties properties) {
        HikariDataSource ds = properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        ds.setPoolName("oldsystem");
        return ds;
    }

}
